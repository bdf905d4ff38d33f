import { randomUUID } from 'node:crypto';
import {
  type IdempotencyKey,
  type LocationId,
  type PrincipalId,
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseSku,
  type Sku,
} from '../../shared/kernel/identifiers.js';
import { createLocation } from '../../shared/locations/use-cases/locations.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 4)}`;

export const aSku = (): Sku => parseSku(`SKU-${unique()}`);
export const aLocationId = (): LocationId => parseLocationId(`WH-${unique()}`);
export const aPrincipal = (name = 'buyer'): PrincipalId => parsePrincipalId(`${name}-${unique()}`);
export const aKey = (): IdempotencyKey => parseIdempotencyKey(randomUUID());

export const WAREHOUSE_CLERK = parsePrincipalId('clerk-1');

export async function aLocation(
  deps: UseCaseDeps,
  locationId: LocationId = aLocationId(),
): Promise<LocationId> {
  await createLocation(deps, {
    locationId,
    name: `Warehouse ${locationId}`,
    region: 'eu-west-1',
    ownerId: parsePrincipalId('vendor-1'),
  });
  return locationId;
}

/** A level with `onHand` units received at a new location, split into `shards` sub-counters when above 1. */
export async function aStockedLevel(
  deps: UseCaseDeps,
  onHand: number,
  sku: Sku = aSku(),
  locationId?: LocationId,
  shards = 1,
): Promise<{ sku: Sku; locationId: LocationId }> {
  const loc = locationId ?? (await aLocation(deps));
  await receiveStock(
    deps,
    { sku, locationId: loc, quantity: onHand },
    { actor: WAREHOUSE_CLERK, reason: 'initial stock' },
  );
  if (shards > 1) await shardLevel(deps, { sku, locationId: loc, shards }, WAREHOUSE_CLERK);
  return { sku, locationId: loc };
}
