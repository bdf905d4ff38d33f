import { AlreadyExistsError } from '../../shared/kernel/errors.js';
import {
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import { createLocation } from '../../shared/locations/use-cases/locations.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';
import { setReplenishmentPolicy } from '../../shared/replenishment/use-cases/replenishment.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';

/** A small demo catalog, so that a newcomer's first request shows something. Seeding twice changes nothing. */
export const DEMO_LOCATIONS = [
  {
    locationId: 'WH-BERLIN',
    name: 'Berlin warehouse',
    region: 'eu-central-1',
    priority: 10,
    latitude: 52.52,
    longitude: 13.405,
  },
  {
    locationId: 'WH-PARIS',
    name: 'Paris warehouse',
    region: 'eu-west-3',
    priority: 20,
    latitude: 48.857,
    longitude: 2.352,
  },
  {
    locationId: 'WH-MADRID',
    name: 'Madrid warehouse',
    region: 'eu-south-2',
    priority: 30,
    latitude: 40.417,
    longitude: -3.704,
  },
] as const;

export const DEMO_STOCK = [
  { sku: 'TSHIRT-BLUE-M', quantities: { 'WH-BERLIN': 40, 'WH-PARIS': 12, 'WH-MADRID': 0 } },
  { sku: 'MUG-LOGO', quantities: { 'WH-BERLIN': 5, 'WH-PARIS': 30, 'WH-MADRID': 18 } },
  { sku: 'SOCKS-3PACK', quantities: { 'WH-BERLIN': 100, 'WH-PARIS': 0, 'WH-MADRID': 3 } },
] as const;

/**
 * A replenishment policy for one demo level, so that a walkthrough can trigger a StockLow: reserving 25 socks in
 * Berlin takes `available` below 80, and the replenishment consumer opens a request for 100.
 */
export const DEMO_POLICY = {
  sku: 'SOCKS-3PACK',
  locationId: 'WH-BERLIN',
  reorderPoint: 80,
  reorderQuantity: 100,
} as const;

const SEEDER = parsePrincipalId('seed-demo');

export async function seedDemo(deps: UseCaseDeps): Promise<void> {
  for (const l of DEMO_LOCATIONS) {
    try {
      await createLocation(deps, {
        locationId: parseLocationId(l.locationId),
        name: l.name,
        region: l.region,
        priority: l.priority,
        coordinates: { latitude: l.latitude, longitude: l.longitude },
        ownerId: SEEDER,
      });
    } catch (error) {
      if (!(error instanceof AlreadyExistsError)) throw error;
    }
  }
  for (const { sku, quantities } of DEMO_STOCK) {
    for (const [locationId, quantity] of Object.entries(quantities)) {
      if (quantity === 0) continue;
      await receiveStock(
        deps,
        {
          sku: parseSku(sku),
          locationId: parseLocationId(locationId),
          quantity,
          idempotencyKey: parseIdempotencyKey(`seed-demo:${sku}:${locationId}`),
        },
        { actor: SEEDER, reason: 'demo catalog', reference: { type: 'seed', id: 'demo' } },
      );
    }
  }
  const level = { sku: parseSku(DEMO_POLICY.sku), locationId: parseLocationId(DEMO_POLICY.locationId) };
  // Seeding again changes nothing: a level that has a reorder point keeps its policy (seeding runs alone, at
  // start-up, so this read does not race a request).
  if ((await deps.levels.getLevel(level.sku, level.locationId))?.policy.reorderPoint == null) {
    await setReplenishmentPolicy(
      deps,
      { ...level, reorderPoint: DEMO_POLICY.reorderPoint, reorderQuantity: DEMO_POLICY.reorderQuantity },
      { actor: SEEDER, reason: 'demo policy' },
    );
  }
}
