import { UnknownSkuError, ValidationError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { StockLevel } from '../domain/stock-level.js';
import type { Availability } from './reads.js';

export interface RegionAvailability {
  readonly region: string;
  readonly available: number;
  readonly locations: readonly LocationId[];
}

export interface RegionalAvailability extends Availability {
  /** The region asked for, or null for every region. */
  readonly region: string | null;
  readonly regions: readonly RegionAvailability[];
}

/** Where a level's location is unknown to the locations list (it should not happen: levels need a location). */
export const NO_REGION = 'unassigned';

/**
 * A SKU's availability, rolled up by the region of each location, optionally narrowed to one region.
 * 1. Query the SKU's levels (one Query, strongly consistent) and the locations (one Query), at once.
 * 2. No level anywhere: UnknownSkuError. A region no location is in: ValidationError naming `region` (a typo
 *    must not read as "none available there").
 * 3. Sum `available` per region (sorted by region); narrowed to a region, the total and the locations are that
 *    region's.
 */
export async function readRegionalAvailability(
  deps: UseCaseDeps,
  sku: Sku,
  region: string | null,
): Promise<RegionalAvailability> {
  const [levels, locations] = await Promise.all([
    deps.levels.getAvailability(sku),
    deps.locations.listLocations(),
  ]);
  if (levels.length === 0) throw new UnknownSkuError(sku);
  if (region !== null && !locations.some((l) => l.region === region)) {
    throw new ValidationError('region', `no location is in region ${region}`);
  }
  const regionOf = new Map(locations.map((l) => [l.locationId, l.region]));
  const inRegion = (level: StockLevel) => regionOf.get(level.locationId) ?? NO_REGION;
  const shown = region === null ? levels : levels.filter((l) => inRegion(l) === region);
  const byRegion = new Map<string, StockLevel[]>();
  for (const level of shown) byRegion.set(inRegion(level), [...(byRegion.get(inRegion(level)) ?? []), level]);
  return {
    sku,
    available: shown.reduce((sum, l) => sum + l.available, 0),
    locations: shown,
    region,
    regions: [...byRegion.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, ls]) => ({
        region: name,
        available: ls.reduce((sum, l) => sum + l.available, 0),
        locations: ls.map((l) => l.locationId),
      })),
  };
}
