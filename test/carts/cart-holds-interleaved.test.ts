import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CartStatus } from '../../shared/carts/domain/cart.js';
import {
  completeCart,
  confirmCart,
  createCart,
  getCart,
  releaseCart,
  reserveCartStep,
} from '../../shared/carts/use-cases/carts.js';
import type { ReservationStatus } from '../../shared/holds/domain/reservation.js';
import { sweepExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { extendHold, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { DomainError } from '../../shared/kernel/errors.js';
import { type CartId, type PrincipalId, parseCartId, type Sku } from '../../shared/kernel/identifiers.js';
import { problemFromDomainError } from '../../shared/platform/http/domain-problems.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * Cart routes and single-hold routes interleaved on the same holds, in random orders (and some at once): after
 * every step the cart's reported status agrees with its holds' statuses, every level is consistent, and every
 * refusal is a typed error that the API answers with a 4xx (nothing is a 5xx). Against DynamoDB Local.
 */
const { deps } = useTestTable();

/** The hold statuses a cart's reported status allows (ADR 15). */
const AGREES: Record<CartStatus, readonly ReservationStatus[]> = {
  PENDING: ['HELD', 'RELEASED'],
  COMPENSATING: ['HELD', 'RELEASED'],
  HELD: ['HELD'],
  FAILED: ['RELEASED', 'EXPIRED'],
  CONFIRMED: ['CONFIRMED', 'FULFILLED', 'CANCELLED'],
  RELEASING: ['HELD', 'RELEASED', 'EXPIRED'],
  RELEASED: ['RELEASED', 'EXPIRED'],
  EXPIRED: ['HELD', 'EXPIRED'],
};

type Op =
  | { kind: 'cart'; action: 'confirm' | 'release' }
  | { kind: 'hold'; action: 'confirm' | 'release' | 'fulfill' | 'cancel' | 'extend'; line: number }
  | { kind: 'expire' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('cart' as const),
    action: fc.constantFrom('confirm' as const, 'release' as const),
  }),
  fc.record({
    kind: fc.constant('hold' as const),
    action: fc.constantFrom(
      'confirm' as const,
      'release' as const,
      'fulfill' as const,
      'cancel' as const,
      'extend' as const,
    ),
    line: fc.integer({ min: 0, max: 1 }),
  }),
  fc.constant({ kind: 'expire' as const }),
);

let carts = 0;
async function aHeldTwoLineCart() {
  const [skuA, skuB] = [aSku(), aSku()];
  const [a, b] = [await aLocation(deps), await aLocation(deps)];
  await aStockedLevel(deps, 10, skuA, a);
  await aStockedLevel(deps, 10, skuB, b);
  const owner = aPrincipal();
  const cartId = parseCartId(`mix-${Date.now()}-${carts++}`);
  await createCart(
    deps,
    {
      cartId,
      lines: [
        { sku: skuA, quantity: 2, locationId: null },
        { sku: skuB, quantity: 3, locationId: null },
      ],
      strategy: 'priority',
      ttlSeconds: 600,
    },
    owner,
    [
      { locationId: a, lines: [{ lineIndex: 0, sku: skuA, quantity: 2 }] },
      { locationId: b, lines: [{ lineIndex: 1, sku: skuB, quantity: 3 }] },
    ],
  );
  await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 0 });
  await reserveCartStep(deps, { ownerId: owner, cartId, stepIndex: 1 });
  await completeCart(deps, { ownerId: owner, cartId });
  return { owner, cartId, levels: [[skuA, a] as const, [skuB, b] as const] };
}

async function run(op: Op, owner: PrincipalId, cartId: CartId): Promise<void> {
  if (op.kind === 'expire') {
    deps.clock.advance(601_000);
    await sweepExpiredHolds(deps);
    return;
  }
  if (op.kind === 'cart') {
    if (op.action === 'confirm') await confirmCart(deps, owner, cartId);
    else await releaseCart(deps, owner, cartId);
    return;
  }
  const cart = await getCart(deps, owner, cartId);
  const reservationId = cart.holds[op.line]?.reservationId;
  if (!reservationId) throw new Error('no such line');
  if (op.action === 'extend') await extendHold(deps, { reservationId, ttlSeconds: 900 }, owner);
  else await resolveHold(deps, op.action, { reservationId }, owner, owner);
}

/** What the API would answer for an operation: 200, or the status of the problem its error maps to. */
async function answerOf(op: Op, owner: PrincipalId, cartId: CartId): Promise<number> {
  try {
    await run(op, owner, cartId);
    return 200;
  } catch (error) {
    if (!(error instanceof DomainError)) return 500;
    return problemFromDomainError(error, () => 'body')?.status ?? 500;
  }
}

async function expectCartAgreesWithHolds(owner: PrincipalId, cartId: CartId, history: readonly Op[]) {
  const cart = await getCart(deps, owner, cartId);
  const holds = cart.reservations.map((r) => r.status);
  const allowed = AGREES[cart.status];
  expect(
    holds.every((h) => allowed.includes(h)),
    `cart ${cart.status} with holds ${holds.join(', ')} after ${JSON.stringify(history)}`,
  ).toBe(true);
}

describe('cart and single-hold operations on the same holds', () => {
  it('one after another: the cart never contradicts its holds, and nothing is answered with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), async (ops) => {
        // Prepare
        const { owner, cartId, levels } = await aHeldTwoLineCart();
        const history: Op[] = [];
        for (const op of ops) {
          // Act
          history.push(op);
          const status = await answerOf(op, owner, cartId);

          // Assess
          expect(status, `${JSON.stringify(op)} after ${JSON.stringify(history)}`).toBeLessThan(500);
          await expectCartAgreesWithHolds(owner, cartId, history);
        }
        for (const [sku, locationId] of levels) await expectLevelConsistent(deps, sku as Sku, locationId);
      }),
      { numRuns: 15 },
    );
  });

  it('at once: the cart never contradicts its holds, and nothing is answered with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          opArb.filter((op) => op.kind !== 'expire'),
          { minLength: 2, maxLength: 5 },
        ),
        async (ops) => {
          // Prepare
          const { owner, cartId, levels } = await aHeldTwoLineCart();

          // Act
          const statuses = await Promise.all(ops.map((op) => answerOf(op, owner, cartId)));

          // Assess
          expect(Math.max(...statuses), JSON.stringify(ops)).toBeLessThan(500);
          await expectCartAgreesWithHolds(owner, cartId, ops);
          for (const [sku, locationId] of levels) await expectLevelConsistent(deps, sku as Sku, locationId);
        },
      ),
      { numRuns: 15 },
    );
  });
});
