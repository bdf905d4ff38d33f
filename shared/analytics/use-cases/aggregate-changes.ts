import type { Clock } from '../../kernel/clock.js';
import type { LocationId } from '../../kernel/identifiers.js';
import type { Stores } from '../../platform/runtime/stores.js';
import { aggregate, changesThatFit, scopesOf } from '../domain/aggregation.js';

export type AggregationDeps = Pick<Stores, 'changes' | 'analytics' | 'locations'> & { readonly clock: Clock };

export interface AggregationRun {
  /** Feed positions aggregated by this run. */
  readonly aggregated: number;
  /** The position the aggregates include when the run ended. */
  readonly position: number;
}

/** Positions one run reads at most, so that one invocation stays short; the next batch's run goes on. */
export const MAX_POSITIONS_PER_RUN = 20_000;

/**
 * Brings the aggregates up to the change feed's head, in feed order (docs/decisions/0025).
 * 1. Read the aggregates' position and the feed's changes after it (at most 100).
 * 2. Take as many as one transaction can aggregate; look up each location's region (once per run).
 * 3. Read the totals of their scopes, aggregate (pure), and apply it with a compare-and-set on the position.
 *    A run that lost the race (another one applied first) reads the position again: every position is
 *    aggregated exactly once, whoever runs, however often the trigger is delivered.
 * 4. Repeat until the feed is exhausted or MAX_POSITIONS_PER_RUN positions were read.
 */
export async function aggregateChanges(deps: AggregationDeps): Promise<AggregationRun> {
  const regions = new Map<LocationId, string | null>();
  const regionOf = (locationId: LocationId) => regions.get(locationId) ?? null;
  let aggregated = 0;
  let position = await deps.analytics.position();
  for (let read = 0; read < MAX_POSITIONS_PER_RUN; ) {
    const { changes } = await deps.changes.readAfter(position, 100);
    if (changes.length === 0) break;
    read += changes.length;
    for (const change of changes) {
      if (!regions.has(change.locationId)) {
        const location = await deps.locations.getLocation(change.locationId);
        regions.set(change.locationId, location?.region ?? null);
      }
    }
    const step = changes.slice(0, changesThatFit(changes, regionOf));
    const scopes = [...new Set(step.flatMap((c) => scopesOf(c, regionOf)))];
    const totals = await deps.analytics.totals(scopes);
    const to = position + step.length;
    const applied = await deps.analytics.apply(
      position,
      to,
      aggregate(step, totals, regionOf),
      new Date(deps.clock.now()).toISOString(),
    );
    if (applied) aggregated += step.length;
    position = applied ? to : await deps.analytics.position();
  }
  return { aggregated, position };
}
