import type { LevelChange } from '../../changes/domain/change.js';
import type { LocationId } from '../../kernel/identifiers.js';
import { availableDeltaOf } from '../../stock/domain/stock-level.js';

/**
 * The business aggregates, per location and per region, per hour: the units on hand, available and held (in live
 * holds: the `reserved` bucket) as of the last change of the hour, and what happened in the hour. Maintained
 * from the change feed in feed order (docs/decisions/0025); this module is the pure arithmetic.
 */
export type Scope = `LOCATION#${string}` | `REGION#${string}`;

export const locationScope = (locationId: string): Scope => `LOCATION#${locationId}`;
export const regionScope = (region: string): Scope => `REGION#${region}`;

export interface Gauges {
  readonly onHand: number;
  readonly available: number;
  readonly held: number;
}

export const NO_GAUGES: Gauges = Object.freeze({ onHand: 0, available: 0, held: 0 });

export const HOUR_COUNTS = [
  'changes',
  'holdsCreated',
  'holdsConfirmed',
  'holdsReleased',
  'holdsExpired',
  'unitsReserved',
  'sellOuts',
] as const;
export type HourCount = (typeof HOUR_COUNTS)[number];
export type HourCounts = Record<HourCount, number>;

export const NO_COUNTS: HourCounts = Object.freeze({
  changes: 0,
  holdsCreated: 0,
  holdsConfirmed: 0,
  holdsReleased: 0,
  holdsExpired: 0,
  unitsReserved: 0,
  sellOuts: 0,
});

/** One scope's hour: counts to add, gauges as of its last change. */
export interface HourUpdate {
  readonly scope: Scope;
  readonly hour: string;
  readonly counts: HourCounts;
  readonly gauges: Gauges;
}

export interface Aggregation {
  /** Each scope's change of gauges over the changes (to add to its running total). */
  readonly totals: ReadonlyMap<Scope, Gauges>;
  readonly hours: readonly HourUpdate[];
}

/** `2026-11-29T19`: the UTC hour of an ISO time. */
export const hourOf = (at: string): string => new Date(at).toISOString().slice(0, 13);

export type RegionOf = (locationId: LocationId) => string | null;

/** The scopes a change counts in: its location, and its location's region when it has one. */
export function scopesOf(change: Pick<LevelChange, 'locationId'>, regionOf: RegionOf): Scope[] {
  const region = regionOf(change.locationId);
  return region
    ? [locationScope(change.locationId), regionScope(region)]
    : [locationScope(change.locationId)];
}

/**
 * How many changes, from the start, one transaction can aggregate: it writes a cursor, each scope's total and
 * each scope's hour, at most `maxItems` items.
 */
export function changesThatFit(changes: readonly LevelChange[], regionOf: RegionOf, maxItems = 99): number {
  const items = new Set<string>(['cursor']);
  let fit = 0;
  for (const change of changes) {
    const added = new Set(items);
    for (const scope of scopesOf(change, regionOf)) {
      added.add(scope);
      added.add(`${scope}@${hourOf(change.at)}`);
    }
    if (added.size > maxItems) break;
    for (const item of added) items.add(item);
    fit += 1;
  }
  return fit;
}

/** What one change counts in its hour. */
export function countsOf(change: LevelChange): HourCounts {
  const availableBefore = change.level.available - availableDeltaOf(change.delta);
  return {
    changes: 1,
    holdsCreated: change.type === 'RESERVED' ? 1 : 0,
    holdsConfirmed: change.type === 'CONFIRMED' ? 1 : 0,
    holdsReleased: change.type === 'RELEASED' ? 1 : 0,
    holdsExpired: change.type === 'EXPIRED' ? 1 : 0,
    unitsReserved: change.type === 'RESERVED' ? (change.delta.reserved ?? 0) : 0,
    sellOuts: availableBefore > 0 && change.level.available <= 0 ? 1 : 0,
  };
}

const gaugeDeltaOf = (change: LevelChange): Gauges => ({
  onHand: change.delta.onHand ?? 0,
  available: availableDeltaOf(change.delta),
  held: change.delta.reserved ?? 0,
});

const plus = (a: Gauges, b: Gauges): Gauges => ({
  onHand: a.onHand + b.onHand,
  available: a.available + b.available,
  held: a.held + b.held,
});

const addCounts = (a: HourCounts, b: HourCounts): HourCounts =>
  Object.fromEntries(HOUR_COUNTS.map((k) => [k, a[k] + b[k]])) as HourCounts;

/**
 * Aggregates changes, in feed order, onto each scope's running totals before them: each scope's hour gets the
 * counts of its changes and the gauges right after its last one; each scope's total moves by the sum of deltas.
 */
export function aggregate(
  changes: readonly LevelChange[],
  totalsBefore: ReadonlyMap<Scope, Gauges>,
  regionOf: RegionOf,
): Aggregation {
  const running = new Map<Scope, Gauges>();
  const moved = new Map<Scope, Gauges>();
  const hours = new Map<string, HourUpdate>();
  for (const change of changes) {
    const delta = gaugeDeltaOf(change);
    const counts = countsOf(change);
    const hour = hourOf(change.at);
    for (const scope of scopesOf(change, regionOf)) {
      const after = plus(running.get(scope) ?? totalsBefore.get(scope) ?? NO_GAUGES, delta);
      running.set(scope, after);
      moved.set(scope, plus(moved.get(scope) ?? NO_GAUGES, delta));
      const key = `${scope}@${hour}`;
      const previous = hours.get(key);
      hours.set(key, {
        scope,
        hour,
        counts: previous ? addCounts(previous.counts, counts) : counts,
        gauges: after,
      });
    }
  }
  return { totals: moved, hours: [...hours.values()] };
}
