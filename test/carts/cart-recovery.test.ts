import { describe, expect, it } from 'vitest';
import { recoverStuckCarts, STUCK_CART_AFTER_MS } from '../../shared/carts/use-cases/cart-recovery.js';
import {
  createCart,
  getCart,
  type PlanStep,
  releaseCart,
  reserveCartStep,
} from '../../shared/carts/use-cases/carts.js';
import { CartStateError } from '../../shared/kernel/errors.js';
import { type CartId, type LocationId, parseCartId, type Sku } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * A cart saga cut off by a crash (the execution died, the API function timed out, compensation ran out of
 * retries) leaves its cart PENDING, COMPENSATING or RELEASING with holds still HELD. The scheduled recovery
 * finishes it (ADR 15); its owner may release it too. Against DynamoDB Local, with a ManualClock.
 */
const { deps } = useTestTable();

let carts = 0;
const aCartId = (): CartId => parseCartId(`stuck-${Date.now()}-${carts++}`);

/** A two-warehouse cart whose saga held its first warehouse's line (2 of 5 units) and then died. */
async function aCartCutOffAfterItsFirstStep() {
  const [skuA, skuB] = [aSku(), aSku()];
  const [a, b] = [await aLocation(deps), await aLocation(deps)];
  await aStockedLevel(deps, 5, skuA, a);
  await aStockedLevel(deps, 5, skuB, b);
  const owner = aPrincipal();
  const cartId = aCartId();
  const plan: PlanStep[] = [
    { locationId: a, lines: [{ lineIndex: 0, sku: skuA, quantity: 2 }] },
    { locationId: b, lines: [{ lineIndex: 1, sku: skuB, quantity: 3 }] },
  ];
  const lines = plan.map((s) => ({ ...(s.lines[0] as { sku: Sku; quantity: number }), locationId: null }));
  await createCart(deps, { cartId, lines, strategy: 'priority', ttlSeconds: 1800 }, owner, plan);
  await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
  return { owner, cartId, skuA, a };
}

async function expectAvailable(sku: Sku, locationId: LocationId, available: number) {
  expect(await readLevel(deps, sku, locationId)).toMatchObject({ available, reserved: 0 });
  await expectLevelConsistent(deps, sku, locationId);
}

const statusesOf = async (owner: ReturnType<typeof aPrincipal>, cartId: CartId) => {
  const cart = await getCart(deps, owner, cartId);
  return { cart: cart.status, holds: cart.reservations.map((r) => r.status), failure: cart.failure?.code };
};

describe('the stuck-cart recovery', () => {
  it('compensates a PENDING cart whose saga died: FAILED, saga-interrupted, nothing held', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);

    // Act
    const report = await recoverStuckCarts(deps);

    // Assess
    expect(report.compensated).toBeGreaterThanOrEqual(1);
    expect(await statusesOf(owner, cartId)).toEqual({
      cart: 'FAILED',
      holds: ['RELEASED'],
      failure: 'saga-interrupted',
    });
    await expectAvailable(skuA, a, 5);
  });

  it('compensates a cart left COMPENSATING by a compensation that ran out of retries', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();
    await deps.carts.setCartStatus(
      owner,
      cartId,
      ['PENDING'],
      'COMPENSATING',
      new Date(deps.clock.now()).toISOString(),
    );
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);

    // Act
    await recoverStuckCarts(deps);

    // Assess
    expect(await statusesOf(owner, cartId)).toEqual({
      cart: 'FAILED',
      holds: ['RELEASED'],
      failure: 'saga-interrupted',
    });
    await expectAvailable(skuA, a, 5);
  });

  it('finishes a release cut off half-way: RELEASED, nothing held', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();
    await deps.carts.setCartStatus(
      owner,
      cartId,
      ['PENDING'],
      'RELEASING',
      new Date(deps.clock.now()).toISOString(),
    );
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);

    // Act
    const report = await recoverStuckCarts(deps);

    // Assess
    expect(report.released).toBeGreaterThanOrEqual(1);
    expect(await statusesOf(owner, cartId)).toEqual({
      cart: 'RELEASED',
      holds: ['RELEASED'],
      failure: undefined,
    });
    await expectAvailable(skuA, a, 5);
  });

  it('leaves alone a cart whose saga may still be running, and fences a late step of a recovered one', async () => {
    // Prepare
    const stuck = await aCartCutOffAfterItsFirstStep();
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);
    const running = await aCartCutOffAfterItsFirstStep();
    deps.clock.advance(STUCK_CART_AFTER_MS - 1000);

    // Act
    await recoverStuckCarts(deps);
    const lateStep = reserveCartStep(deps, { ownerId: stuck.owner, cartId: stuck.cartId, stepIndex: 1 });

    // Assess
    await expect(lateStep).rejects.toBeInstanceOf(CartStateError);
    expect((await statusesOf(stuck.owner, stuck.cartId)).cart).toBe('FAILED');
    expect(await statusesOf(running.owner, running.cartId)).toEqual({
      cart: 'PENDING',
      holds: ['HELD'],
      failure: undefined,
    });
  });

  it('changes nothing when run twice', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);
    await recoverStuckCarts(deps);
    const after = await getCart(deps, owner, cartId);

    // Act
    await recoverStuckCarts(deps);

    // Assess
    const again = await getCart(deps, owner, cartId);
    expect(again.updatedAt).toBe(after.updatedAt);
    expect(again.status).toBe('FAILED');
    await expectAvailable(skuA, a, 5);
  });
});

describe('the owner of a stuck cart', () => {
  it('releases it at once: RELEASED, nothing held, and a late saga step is refused', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();

    // Act
    const released = await releaseCart(deps, owner, cartId);
    const lateStep = reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });

    // Assess
    expect(released.status).toBe('RELEASED');
    expect(released.reservations.map((r) => r.status)).toEqual(['RELEASED']);
    await expect(lateStep).rejects.toBeInstanceOf(CartStateError);
    await expectAvailable(skuA, a, 5);
  });

  it('releases one left COMPENSATING, and the recovery then leaves it alone', async () => {
    // Prepare
    const { owner, cartId, skuA, a } = await aCartCutOffAfterItsFirstStep();
    await deps.carts.setCartStatus(
      owner,
      cartId,
      ['PENDING'],
      'COMPENSATING',
      new Date(deps.clock.now()).toISOString(),
    );

    // Act
    await releaseCart(deps, owner, cartId);
    deps.clock.advance(STUCK_CART_AFTER_MS + 1);
    await recoverStuckCarts(deps);

    // Assess
    expect(await statusesOf(owner, cartId)).toEqual({
      cart: 'RELEASED',
      holds: ['RELEASED'],
      failure: undefined,
    });
    await expectAvailable(skuA, a, 5);
  });
});
