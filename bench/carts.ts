import {
  type LocationId,
  type PrincipalId,
  parseLocationId,
  parseSku,
  type Sku,
} from '../shared/kernel/identifiers.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { readLevel } from '../shared/stock/use-cases/reads.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { BENCH_HOLD_TTL_SECONDS, type LoadResult, runLoad } from './load.js';
import { unitsOversold } from './oversold.js';

export interface CartsSize {
  readonly carts: number;
  readonly stockPerLevel: number;
  readonly concurrency: number;
}

export interface CartsOutcome {
  readonly load: LoadResult;
  /** Units held beyond what was on hand, summed over the levels (must be 0). */
  readonly oversold: number;
  /** Units still held that no fully held cart accounts for: a cart half held (must be 0). */
  readonly strandedUnits: number;
  readonly note: string;
}

/** A cart's request and a status: 201 when the whole cart was held. */
export type CallCart = (cartId: string, buyer: number, body: unknown) => Promise<number>;

const SKUS = 4;
const WAREHOUSES = 3;

/**
 * Carts of 2 to 3 lines over 4 SKUs stocked at 3 warehouses, more demand than stock so that carts contend and
 * some fail. Afterwards every level is read: no level may be oversold, and the units still reserved must be
 * exactly those of the carts answered 201 (a failed cart leaves nothing held).
 */
export async function cartsScenario(
  deps: UseCaseDeps,
  owner: PrincipalId,
  size: CartsSize,
  callCart: CallCart,
): Promise<CartsOutcome> {
  const skus = Array.from({ length: SKUS }, (_, i) => parseSku(`CART-${i}`));
  const warehouses: LocationId[] = [];
  for (let w = 0; w < WAREHOUSES; w++) {
    const locationId = parseLocationId(`BENCH-CART-WH-${w}`);
    await createLocation(deps, {
      locationId,
      name: `Cart warehouse ${w}`,
      region: 'local',
      priority: w,
      ownerId: owner,
    });
    warehouses.push(locationId);
  }
  for (const sku of skus) {
    for (const locationId of warehouses) {
      await receiveStock(
        deps,
        { sku, locationId, quantity: size.stockPerLevel },
        { actor: owner, reason: 'bench' },
      );
    }
  }

  const cartLines = (i: number) => {
    const count = 2 + (i % 2);
    return Array.from({ length: count }, (_, line) => ({
      sku: skus[(i + line * 3) % SKUS] as Sku,
      quantity: 1 + ((i * 7 + line) % 3),
    }));
  };
  let heldUnits = 0;
  const load = await runLoad(size.carts, size.concurrency, async (i) => {
    const lines = cartLines(i);
    const status = await callCart(`bench-cart-${i}`, i, {
      strategy: 'priority',
      ttlSeconds: BENCH_HOLD_TTL_SECONDS,
      lines,
    });
    if (status !== 201) return false;
    heldUnits += lines.reduce((n, line) => n + line.quantity, 0);
    return true;
  });

  let oversold = 0;
  let reserved = 0;
  for (const sku of skus) {
    for (const locationId of warehouses) {
      const level = await readLevel(deps, sku, locationId);
      oversold += unitsOversold(level);
      reserved += level.reserved;
    }
  }
  const stock = SKUS * WAREHOUSES * size.stockPerLevel;
  return {
    load,
    oversold,
    strandedUnits: reserved - heldUnits,
    note: `${load.succeeded} carts held, ${heldUnits} of ${stock} units; stranded ${reserved - heldUnits}`,
  };
}
