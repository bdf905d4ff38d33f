import { NotFoundError, ValidationError } from '../../kernel/errors.js';
import type { LocationId } from '../../kernel/identifiers.js';
import type { Stores } from '../../platform/runtime/stores.js';
import { hourOf, locationScope, regionScope, type Scope } from '../domain/aggregation.js';
import { hoursBetween, MAX_SERIES_HOURS, type SeriesPoint, seriesOf } from '../domain/series.js';

export interface SeriesQuery {
  readonly scope: Scope;
  /** Epoch ms; the range is [from, to), rounded down to whole hours. */
  readonly from: number;
  readonly to: number;
}

export interface AnalyticsSeries {
  readonly series: readonly SeriesPoint[];
  /** How far the aggregates are: the feed position they include, and the feed's head. */
  readonly freshness: { readonly aggregatedThrough: number; readonly feedHead: number };
}

/**
 * A scope's hourly series.
 * 1. Check the range (`to` after `from`, at most MAX_SERIES_HOURS hours).
 * 2. Read the position the aggregates include and the feed's head (how fresh they are).
 * 3. Read the scope's stored hours in the range, and its last stored hour before it (gauges carried forward).
 * 4. Fill every hour of the range (seriesOf).
 */
export async function readAnalyticsSeries(
  deps: Pick<Stores, 'analytics' | 'changes'>,
  query: SeriesQuery,
): Promise<AnalyticsSeries> {
  if (query.to <= query.from) throw new ValidationError('to', 'to must be after from');
  const hours = hoursBetween(query.from, query.to);
  if (hours.length > MAX_SERIES_HOURS)
    throw new ValidationError('to', `a series covers at most ${MAX_SERIES_HOURS} hours`);
  const [aggregatedThrough, feedHead] = await Promise.all([deps.analytics.position(), deps.changes.head()]);
  const first = hours[0] ?? hourOf(new Date(query.from).toISOString());
  const last = hours.at(-1) ?? first;
  const [stored, before] = await Promise.all([
    deps.analytics.hours(query.scope, first, last),
    deps.analytics.hourBefore(query.scope, first),
  ]);
  return { series: seriesOf(hours, stored, before), freshness: { aggregatedThrough, feedHead } };
}

/**
 * A location's hourly series.
 * 1. The location must exist (else NotFoundError: an unknown location is not one with nothing in it).
 * 2. Its series (readAnalyticsSeries).
 */
export async function readLocationAnalytics(
  deps: Pick<Stores, 'analytics' | 'changes' | 'locations'>,
  locationId: LocationId,
  range: { readonly from: number; readonly to: number },
): Promise<AnalyticsSeries> {
  if (!(await deps.locations.getLocation(locationId))) throw new NotFoundError('location', locationId);
  return readAnalyticsSeries(deps, { scope: locationScope(locationId), ...range });
}

/**
 * A region's hourly series, over the locations that were in it when their changes were aggregated.
 * 1. Some location must be in the region (else NotFoundError).
 * 2. Its series (readAnalyticsSeries).
 */
export async function readRegionAnalytics(
  deps: Pick<Stores, 'analytics' | 'changes' | 'locations'>,
  region: string,
  range: { readonly from: number; readonly to: number },
): Promise<AnalyticsSeries> {
  const locations = await deps.locations.listLocations();
  if (!locations.some((l) => l.region === region)) throw new NotFoundError('region', region);
  return readAnalyticsSeries(deps, { scope: regionScope(region), ...range });
}
