import { describe, expect, it } from 'vitest';
import type { CartFailure } from '../../shared/carts/domain/cart.js';
import {
  CartLineShortError,
  compensateCart,
  completeCart,
  confirmCart,
  createCart,
  getCart,
  type PlanStep,
  releaseCart,
  reserveCartStep,
} from '../../shared/carts/use-cases/carts.js';
import { CartStateError, HoldExpiredError } from '../../shared/kernel/errors.js';
import { type CartId, type LocationId, parseCartId, type Sku } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { deps } = useTestTable();

let carts = 0;
const aCartId = (): CartId => parseCartId(`cart-${Date.now()}-${carts++}`);

/** Two SKUs at two warehouses: line 0 from A, line 1 from B. */
async function aTwoWarehouseCart(stockA = 5, stockB = 5, quantities: [number, number] = [2, 3]) {
  const [skuA, skuB] = [aSku(), aSku()];
  const a = await aLocation(deps);
  const b = await aLocation(deps);
  await aStockedLevel(deps, stockA, skuA, a);
  await aStockedLevel(deps, stockB, skuB, b);
  const owner = aPrincipal();
  const cartId = aCartId();
  const plan: PlanStep[] = [
    { locationId: a, lines: [{ lineIndex: 0, sku: skuA, quantity: quantities[0] }] },
    { locationId: b, lines: [{ lineIndex: 1, sku: skuB, quantity: quantities[1] }] },
  ];
  const lines = [
    { sku: skuA, quantity: quantities[0], locationId: null },
    { sku: skuB, quantity: quantities[1], locationId: null },
  ];
  await createCart(deps, { cartId, lines, strategy: 'priority', ttlSeconds: 600 }, owner, plan);
  return { owner, cartId, a, b, skuA, skuB, plan };
}

const failure = (detail: string): CartFailure => ({
  lineIndex: 1,
  sku: null,
  locationId: null,
  code: 'insufficient-stock',
  detail,
  available: 0,
});

async function expectLevel(sku: Sku, locationId: LocationId, expected: Record<string, number>) {
  expect(await readLevel(deps, sku, locationId)).toMatchObject(expected);
  await expectLevelConsistent(deps, sku, locationId);
}

describe('cart saga steps', () => {
  it('hold every line, warehouse by warehouse, and the cart becomes HELD', async () => {
    const { owner, cartId, a, b, skuA, skuB } = await aTwoWarehouseCart();

    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });
    await completeCart(deps, { ownerId: owner, cartId });

    const cart = await getCart(deps, owner, cartId);
    expect(cart.status).toBe('HELD');
    expect(cart.reservations.map((r) => r.status)).toEqual(['HELD', 'HELD']);
    await expectLevel(skuA, a, { reserved: 2, available: 3 });
    await expectLevel(skuB, b, { reserved: 3, available: 2 });
  });

  it('hold once when a step is retried after it succeeded', async () => {
    const { owner, cartId, a, skuA } = await aTwoWarehouseCart();
    const first = await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    const retry = await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    expect([first.replayed, retry.replayed]).toEqual([false, true]);
    await expectLevel(skuA, a, { reserved: 2, version: 2 });
  });

  it('report the line that cannot be held, and compensation leaves no hold behind', async () => {
    // Prepare: B has only 1 of the 3 units line 1 needs
    const { owner, cartId, a, b, skuA, skuB } = await aTwoWarehouseCart(5, 1);
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });

    // Act
    const error = await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 }).catch(
      (e: unknown) => e,
    );
    const failed = await compensateCart(deps, { ownerId: owner, cartId, failure: failure('short at B') });

    // Assess
    expect(error).toBeInstanceOf(CartLineShortError);
    expect((error as CartLineShortError).lineIndex).toBe(1);
    expect(failed).toMatchObject({ status: 'FAILED', failure: { lineIndex: 1 } });
    await expectLevel(skuA, a, { reserved: 0, available: 5 });
    await expectLevel(skuB, b, { reserved: 0, available: 1 });
  });

  it('refuse a late step once compensation has begun, so nothing is held after it', async () => {
    const { owner, cartId, b, skuB } = await aTwoWarehouseCart();
    await compensateCart(deps, { ownerId: owner, cartId, failure: failure('gave up') });

    const late = await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 }).catch(
      (e: unknown) => e,
    );

    expect(late).toBeInstanceOf(CartStateError);
    await expectLevel(skuB, b, { reserved: 0, version: 1 });
  });

  it('compensate twice without changing anything the second time', async () => {
    const { owner, cartId, a, skuA } = await aTwoWarehouseCart();
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    await compensateCart(deps, { ownerId: owner, cartId, failure: failure('x') });
    const before = await readLevel(deps, skuA, a);
    await compensateCart(deps, { ownerId: owner, cartId, failure: failure('x') });
    expect(await readLevel(deps, skuA, a)).toEqual(before);
  });

  it('hold two lines of the same SKU at the same warehouse in one transaction', async () => {
    const sku = aSku();
    const { locationId } = await aStockedLevel(deps, 10, sku);
    const owner = aPrincipal();
    const cartId = aCartId();
    await createCart(
      deps,
      {
        cartId,
        lines: [
          { sku, quantity: 2, locationId: null },
          { sku, quantity: 3, locationId: null },
        ],
        strategy: 'priority',
      },
      owner,
      [
        {
          locationId,
          lines: [
            { lineIndex: 0, sku, quantity: 2 },
            { lineIndex: 1, sku, quantity: 3 },
          ],
        },
      ],
    );

    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });

    await expectLevel(sku, locationId, { reserved: 5, available: 5, version: 3 });
  });

  it('hold a line of a sharded level across its shards', async () => {
    const sku = aSku();
    const { locationId } = await aStockedLevel(deps, 8, sku, undefined, 4);
    const owner = aPrincipal();
    const cartId = aCartId();
    await createCart(
      deps,
      { cartId, lines: [{ sku, quantity: 7, locationId: null }], strategy: 'priority' },
      owner,
      [{ locationId, lines: [{ lineIndex: 0, sku, quantity: 7 }] }],
    );

    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });

    await expectLevel(sku, locationId, { reserved: 7, available: 1 });
  });
});

describe('a held cart', () => {
  it('is confirmed as a whole, and a second confirm changes nothing', async () => {
    const { owner, cartId, a, b, skuA, skuB } = await aTwoWarehouseCart();
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });
    await completeCart(deps, { ownerId: owner, cartId });

    const first = await confirmCart(deps, owner, cartId);
    const again = await confirmCart(deps, owner, cartId);

    expect(first.changed).toBe(true);
    expect(again.changed).toBe(false);
    expect(first.cart.reservations.map((r) => r.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    await expectLevel(skuA, a, { reserved: 0, committed: 2 });
    await expectLevel(skuB, b, { reserved: 0, committed: 3 });
  });

  it('is not confirmed at all when one of its holds has expired', async () => {
    const { owner, cartId, a, skuA } = await aTwoWarehouseCart();
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });
    await completeCart(deps, { ownerId: owner, cartId });
    deps.clock.advance(601_000);

    await expect(confirmCart(deps, owner, cartId)).rejects.toBeInstanceOf(HoldExpiredError);

    // A HELD cart past its expiry is reported EXPIRED: its holds expire with it (ADR 15).
    expect((await getCart(deps, owner, cartId)).status).toBe('EXPIRED');
    await expectLevel(skuA, a, { reserved: 2, committed: 0 });
  });

  it('is released as a whole', async () => {
    const { owner, cartId, a, b, skuA, skuB } = await aTwoWarehouseCart();
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
    await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });
    await completeCart(deps, { ownerId: owner, cartId });

    const released = await releaseCart(deps, owner, cartId);

    expect(released.status).toBe('RELEASED');
    expect(released.reservations.map((r) => r.status)).toEqual(['RELEASED', 'RELEASED']);
    await expectLevel(skuA, a, { reserved: 0, available: 5 });
    await expectLevel(skuB, b, { reserved: 0, available: 5 });
  });

  it("is someone else's: not found", async () => {
    const { cartId } = await aTwoWarehouseCart();
    await expect(getCart(deps, aPrincipal(), cartId)).rejects.toMatchObject({ code: 'not-found' });
  });
});
