import { expiredHeldOf } from '../../holds/use-cases/expiry.js';
import { NotFoundError, UnknownSkuError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { StockLevel } from '../domain/stock-level.js';
import type { MovementPage, PageRequest } from '../store/ledger-store.js';

export interface LevelView extends StockLevel {
  /** The part of `reserved` held by holds that have expired but are not released yet (the sweeper's lag). */
  readonly expiredHeld: { readonly holds: number; readonly quantity: number };
}

/**
 * Read one level (the sum of its shards), telling the truth about expired holds.
 * 1. Read the level's shards (strongly consistent).
 * 2. Query the level's holds that have expired but are still held, and report their units.
 */
export async function readLevel(deps: UseCaseDeps, sku: Sku, locationId: LocationId): Promise<LevelView> {
  const [level, expiredHeld] = await Promise.all([
    deps.levels.getLevel(sku, locationId),
    expiredHeldOf(deps, sku, locationId),
  ]);
  if (!level) throw new NotFoundError('level', `${sku}@${locationId}`);
  return { ...level, expiredHeld };
}

export interface Availability {
  readonly sku: Sku;
  readonly available: number;
  readonly locations: readonly StockLevel[];
}

/**
 * A SKU's stock at every location.
 * 1. Query the SKU's partition for its levels' shard 0 (one Query, strongly consistent), then batch-read the other
 *    shards of the sharded ones (ADR 34).
 * 2. No level anywhere: the SKU is unknown (UnknownSkuError), not out of stock.
 * 3. Sum the levels' available units.
 */
export async function readAvailability(deps: UseCaseDeps, sku: Sku): Promise<Availability> {
  const found = await findAvailability(deps, sku);
  if (!found) throw new UnknownSkuError(sku);
  return found;
}

/** A SKU's stock at every location, or null when no location has a level of it (one Query, + a batch read). */
export async function findAvailability(deps: UseCaseDeps, sku: Sku): Promise<Availability | null> {
  const locations = await deps.levels.getAvailability(sku);
  if (locations.length === 0) return null;
  return { sku, available: locations.reduce((sum, l) => sum + l.available, 0), locations };
}

/** A page of a level's ledger. */
export function listMovements(
  deps: UseCaseDeps,
  sku: Sku,
  locationId: LocationId,
  page: PageRequest,
): Promise<MovementPage> {
  return deps.ledger.listMovements(sku, locationId, page);
}
