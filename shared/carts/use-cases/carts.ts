import { parseTtlSeconds } from '../../holds/domain/hold-policy.js';
import type { Reservation } from '../../holds/domain/reservation.js';
import { applyTransition } from '../../holds/use-cases/transitions.js';
import {
  BusinessRuleError,
  CartStateError,
  DomainError,
  HoldExpiredError,
  InsufficientStockError,
  NotFoundError,
} from '../../kernel/errors.js';
import { requestHash } from '../../kernel/fingerprint.js';
import type { CartId, LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import { changeContext, type UseCaseDeps } from '../../platform/use-cases/context.js';
import {
  type AllocationStrategyName,
  type Cart,
  type CartFailure,
  type CartLine,
  type CartStatus,
  MAX_CART_HOLDS,
  type PlannedHold,
  plannedHoldId,
  reportedCartStatus,
  stepsOf,
} from '../domain/cart.js';

/** One warehouse's share of the plan, as the allocation produced it. */
export interface PlanStep {
  readonly locationId: LocationId;
  readonly lines: ReadonlyArray<{ readonly lineIndex: number; readonly sku: Sku; readonly quantity: number }>;
}

export interface NewCart {
  readonly cartId: CartId;
  readonly lines: readonly CartLine[];
  readonly strategy: AllocationStrategyName;
  readonly ttlSeconds?: number;
}

/**
 * Record a cart reservation and its plan, before the saga runs it.
 * 1. Check the TTL and the number of holds the plan needs.
 * 2. Derive every planned hold's id from (owner, cart, step, line).
 * 3. Create the cart PENDING; the same request again returns the cart as it is (a retried request), another
 *    request with the same cart id is refused.
 */
export async function createCart(
  deps: UseCaseDeps,
  input: NewCart,
  owner: PrincipalId,
  plan: readonly PlanStep[],
): Promise<{ cart: Cart; replayed: boolean }> {
  const ttlSeconds = parseTtlSeconds(input.ttlSeconds, deps.holdPolicy);
  const holds: PlannedHold[] = plan.flatMap((step, stepIndex) =>
    step.lines.map((line) => ({
      reservationId: plannedHoldId(owner, input.cartId, stepIndex, line.lineIndex),
      stepIndex,
      lineIndex: line.lineIndex,
      sku: line.sku,
      locationId: step.locationId,
      quantity: line.quantity,
    })),
  );
  if (holds.length > MAX_CART_HOLDS) {
    throw new BusinessRuleError(
      'cart-too-large',
      `a cart may need at most ${MAX_CART_HOLDS} holds; this one needs ${holds.length}`,
    );
  }
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const expiresAt = now + ttlSeconds * 1000;
  const cart: Cart = {
    cartId: input.cartId,
    ownerId: owner,
    status: 'PENDING',
    strategy: input.strategy,
    lines: input.lines,
    holds,
    expiresAt,
    createdAt: at,
    updatedAt: at,
    failure: null,
  };
  const hash = requestHash({ lines: input.lines, strategy: input.strategy, ttlSeconds });
  return deps.carts.createCart(cart, hash, Math.ceil(expiresAt / 1000) + deps.holdPolicy.retentionSeconds);
}

async function ownCart(deps: UseCaseDeps, owner: PrincipalId, cartId: CartId): Promise<Cart> {
  const cart = await deps.carts.getCart(owner, cartId);
  if (!cart) throw new NotFoundError('cart', cartId);
  return cart;
}

/**
 * Saga step: hold one warehouse's lines of the cart, all in one transaction.
 * 1. Read the cart for its plan.
 * 2. One transaction, fenced by the cart still being PENDING: every planned hold of the step is created with its
 *    derived id (so a retried or re-driven step finds its own holds and changes nothing), each level guarded by
 *    `available`.
 * A shortage is reported with the line that failed.
 */
export async function reserveCartStep(
  deps: UseCaseDeps,
  input: { ownerId: PrincipalId; cartId: CartId; stepIndex: number },
): Promise<{ replayed: boolean }> {
  const cart = await ownCart(deps, input.ownerId, input.cartId);
  const step = stepsOf(cart).find((s) => s.stepIndex === input.stepIndex);
  if (!step) throw new NotFoundError('cart', `${input.cartId} step ${input.stepIndex}`);
  const context = changeContext(deps, {
    actor: input.ownerId,
    reference: { type: 'cart', id: input.cartId },
  });
  try {
    return await deps.carts.reserveCartStep({
      ownerId: input.ownerId,
      cartId: input.cartId,
      holds: step.holds.map((hold) => ({
        reservation: reservationOf(cart, hold, context.at),
        requestHash: requestHash({
          cartId: cart.cartId,
          stepIndex: hold.stepIndex,
          lineIndex: hold.lineIndex,
          quantity: hold.quantity,
        }),
        movementId: deps.ids.next(),
      })),
      context,
      ttlEpochSeconds: Math.ceil(cart.expiresAt / 1000) + deps.holdPolicy.purgeGraceSeconds,
    });
  } catch (error) {
    if (error instanceof InsufficientStockError) throw new CartLineShortError(step.holds, error);
    throw error;
  }
}

/** A line of a cart could not be held: names the line, so that the saga can report it. */
export class CartLineShortError extends InsufficientStockError {
  readonly lineIndex: number | null;
  constructor(holds: readonly PlannedHold[], cause: InsufficientStockError) {
    super(cause.details);
    const hold = holds.find((h) => h.sku === cause.details.sku && h.locationId === cause.details.locationId);
    this.lineIndex = hold?.lineIndex ?? null;
    this.name = 'CartLineShortError';
  }
}

function reservationOf(cart: Cart, hold: PlannedHold, at: string): Omit<Reservation, 'parts'> {
  return {
    reservationId: hold.reservationId,
    sku: hold.sku,
    locationId: hold.locationId,
    quantity: hold.quantity,
    ownerId: cart.ownerId,
    status: 'HELD',
    createdAt: at,
    updatedAt: at,
    expiresAt: cart.expiresAt,
    maxExpiresAt: cart.expiresAt,
    reference: `cart:${cart.cartId}`,
    resolvedAt: null,
    countedHold: false,
  };
}

/** A cart in one of these states was settled by someone else (a retried compensation, its owner's release). */
const SETTLED_BEFORE_COMPENSATION: readonly string[] = ['FAILED', 'RELEASING', 'RELEASED'];

/**
 * Saga compensation: nothing of a failed cart may stay held.
 * 1. Fence the cart (PENDING → COMPENSATING), so that no step, however late, can add a hold after this.
 * 2. Release every hold the plan could have made: those never made are not found, those already released are
 *    skipped; each release is itself guarded, so running compensation twice changes nothing.
 * 3. Mark the cart FAILED with the reason.
 * A cart compensated already, or released by its owner meanwhile (RELEASING, RELEASED), is left as it is.
 */
export async function compensateCart(
  deps: UseCaseDeps,
  input: { ownerId: PrincipalId; cartId: CartId; failure: CartFailure },
): Promise<Cart> {
  const at = () => new Date(deps.clock.now()).toISOString();
  try {
    const fenced = await deps.carts.setCartStatus(
      input.ownerId,
      input.cartId,
      ['PENDING', 'COMPENSATING'],
      'COMPENSATING',
      at(),
    );
    await releaseHolds(deps, fenced, 'cart compensation');
    return await deps.carts.setCartStatus(
      input.ownerId,
      input.cartId,
      ['COMPENSATING'],
      'FAILED',
      at(),
      input.failure,
    );
  } catch (error) {
    if (error instanceof CartStateError && SETTLED_BEFORE_COMPENSATION.includes(error.details.status))
      return ownCart(deps, input.ownerId, input.cartId);
    throw error;
  }
}

/** Releases every HELD hold of the cart's plan, as the cart (ADR 15); each release is guarded. */
export async function releaseHolds(deps: UseCaseDeps, cart: Cart, reason: string): Promise<void> {
  const made = await deps.carts.getReservations(cart.holds.map((h) => h.reservationId));
  for (const hold of made) {
    if (hold.status !== 'HELD') continue;
    try {
      await applyTransition(deps, 'release', hold, null, cart.ownerId, reason, true);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  }
}

/** Saga end: every step held its lines. */
export function completeCart(
  deps: UseCaseDeps,
  input: { ownerId: PrincipalId; cartId: CartId },
): Promise<Cart> {
  return deps.carts.setCartStatus(
    input.ownerId,
    input.cartId,
    ['PENDING'],
    'HELD',
    new Date(deps.clock.now()).toISOString(),
  );
}

export interface CartView extends Cart {
  readonly reservations: readonly Reservation[];
}

/** A cart with the current state of each of its holds, and its reported status (see reportedCartStatus). */
export async function getCart(deps: UseCaseDeps, owner: PrincipalId, cartId: CartId): Promise<CartView> {
  const cart = await ownCart(deps, owner, cartId);
  return {
    ...cart,
    status: reportedCartStatus(cart, deps.clock.now()),
    reservations: await deps.carts.getReservations(cart.holds.map((h) => h.reservationId)),
  };
}

/** Hold statuses that mean the line was sold (confirmed, and maybe fulfilled or cancelled since). */
const COMMITTED: readonly string[] = ['CONFIRMED', 'FULFILLED', 'CANCELLED'];

/**
 * Confirm a held cart as a whole.
 * 1. Read the cart: CONFIRMED already is a replay; it must be HELD and unexpired.
 * 2. Read its holds: every one must be HELD (a hold confirmed on its own before ADR 15 makes the cart
 *    unconfirmable as a whole: 409, never a 500).
 * 3. One transaction: the cart and every hold become CONFIRMED (each hold unexpired, HELD), units move from
 *    reserved to committed. A second confirm changes nothing and says so.
 */
export async function confirmCart(
  deps: UseCaseDeps,
  owner: PrincipalId,
  cartId: CartId,
): Promise<{ cart: CartView; changed: boolean }> {
  const cart = await ownCart(deps, owner, cartId);
  const now = deps.clock.now();
  if (cart.status === 'CONFIRMED') return { cart: await getCart(deps, owner, cartId), changed: false };
  if (cart.status === 'HELD' && cart.expiresAt <= now && cart.holds[0])
    throw new HoldExpiredError(cart.holds[0].reservationId, cart.expiresAt);
  const status = reportedCartStatus(cart, now);
  if (status !== 'HELD') throw new CartStateError(cartId, status, 'confirm');
  const holds = await deps.carts.getReservations(cart.holds.map((h) => h.reservationId));
  const unheld = cart.holds.find(
    (p) => holds.find((h) => h.reservationId === p.reservationId)?.status !== 'HELD',
  );
  if (unheld) {
    const found = holds.find((h) => h.reservationId === unheld.reservationId);
    throw new CartStateError(
      cartId,
      status,
      `confirm: the hold of line ${unheld.lineIndex} (${unheld.reservationId}) is ${found?.status ?? 'gone'}`,
    );
  }
  const { changed } = await deps.carts.confirmCart({
    ownerId: owner,
    cartId,
    holds: holds.map((h) => ({
      reservationId: h.reservationId,
      sku: h.sku,
      locationId: h.locationId,
      parts: h.parts,
      quantity: h.quantity,
      ownerId: h.ownerId,
      countedHold: h.countedHold,
      movementId: deps.ids.next(),
    })),
    nowMs: now,
    context: changeContext(deps, { actor: owner, reference: { type: 'cart', id: cartId } }),
  });
  return { cart: await getCart(deps, owner, cartId), changed };
}

/** The statuses from which a cart's owner may release it: held, expired, or stuck in flight (ADR 15). */
const RELEASABLE: readonly CartStatus[] = ['PENDING', 'COMPENSATING', 'HELD', 'RELEASING'];

/**
 * Release a cart: held, expired, or stuck in its saga (PENDING, COMPENSATING) or in an earlier release.
 * 1. Read the cart (RELEASED already: answered as it is) and its holds: a cart with a committed line (confirmed
 *    on its own before ADR 15) cannot be released (409), nothing changes.
 * 2. Fence it: → RELEASING. From here no saga step can add a hold (steps need PENDING), the saga cannot mark it
 *    HELD, a cart confirm is refused (it needs HELD).
 * 3. Release every hold of its plan that is HELD (each guarded, so a retry finishes the job; a crash here leaves
 *    it RELEASING, finished by the same request again or by the stuck-cart recovery).
 * 4. RELEASING → RELEASED.
 */
export async function releaseCart(deps: UseCaseDeps, owner: PrincipalId, cartId: CartId): Promise<CartView> {
  const cart = await ownCart(deps, owner, cartId);
  if (cart.status === 'RELEASED') return getCart(deps, owner, cartId);
  if (!RELEASABLE.includes(cart.status)) throw new CartStateError(cartId, cart.status, 'release');
  const holds = await deps.carts.getReservations(cart.holds.map((h) => h.reservationId));
  const sold = holds.find((h) => COMMITTED.includes(h.status));
  if (sold)
    throw new CartStateError(
      cartId,
      cart.status,
      `release: its hold ${sold.reservationId} is ${sold.status}`,
    );
  const at = () => new Date(deps.clock.now()).toISOString();
  const fenced = await deps.carts.setCartStatus(owner, cartId, RELEASABLE, 'RELEASING', at());
  await releaseHolds(deps, fenced, 'cart released');
  await deps.carts.setCartStatus(owner, cartId, ['RELEASING'], 'RELEASED', at());
  return getCart(deps, owner, cartId);
}
