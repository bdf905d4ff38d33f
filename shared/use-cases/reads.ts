import { NotFoundError } from '../domain/errors.js';
import type { LocationId, Sku } from '../domain/identifiers.js';
import type { StockLevel } from '../domain/stock-level.js';
import type { MovementPage, PageRequest } from '../store/inventory-store.js';
import type { UseCaseDeps } from './context.js';

/** Read one level (the sum of its shards). */
export async function readLevel(deps: UseCaseDeps, sku: Sku, locationId: LocationId): Promise<StockLevel> {
  const level = await deps.store.getLevel(sku, locationId);
  if (!level) throw new NotFoundError('level', `${sku}@${locationId}`);
  return level;
}

export interface Availability {
  readonly sku: Sku;
  readonly available: number;
  readonly locations: readonly StockLevel[];
}

/** A SKU's stock at every location, from one Query of the SKU's partition. */
export async function readAvailability(deps: UseCaseDeps, sku: Sku): Promise<Availability> {
  const locations = await deps.store.getAvailability(sku);
  return { sku, available: locations.reduce((sum, l) => sum + l.available, 0), locations };
}

/** A page of a level's ledger. */
export function listMovements(
  deps: UseCaseDeps,
  sku: Sku,
  locationId: LocationId,
  page: PageRequest,
): Promise<MovementPage> {
  return deps.store.listMovements(sku, locationId, page);
}
