import { CartStateError, NotFoundError } from '../../kernel/errors.js';
import { inFlightCartBuckets } from '../../platform/store/keys.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { Cart, CartFailure } from '../domain/cart.js';
import { releaseHolds } from './carts.js';

/**
 * How long a cart may stay in flight (PENDING, COMPENSATING, RELEASING) unchanged before it counts as stuck: past
 * the saga's own 3-minute timeout (infra/constructs/cart-saga.ts) and the API function's 29 s, with margin, so
 * that no live saga or release is left running when a cart is recovered.
 */
export const STUCK_CART_AFTER_MS = 5 * 60_000;

/** What a recovered cart records as its failure: its saga was cut off and did not finish. */
export const SAGA_INTERRUPTED: CartFailure = {
  code: 'saga-interrupted',
  detail:
    'the cart saga was cut off before it finished; nothing of the cart is held: reserve it again under a new cart id',
  lineIndex: null,
  sku: null,
  locationId: null,
  available: null,
};

export interface CartRecoveryReport {
  /** In-flight carts listed. */
  readonly found: number;
  /** Stuck PENDING or COMPENSATING carts compensated (now FAILED, nothing held). */
  readonly compensated: number;
  /** Stuck RELEASING carts whose release was finished (now RELEASED). */
  readonly released: number;
}

export interface CartRecoveryOptions {
  readonly stuckAfterMs?: number;
  /** The most carts listed per partition of the in-flight list in one run. */
  readonly perBucket?: number;
  /** Checked before each cart: true stops the run early (the next run continues). */
  readonly shouldStop?: () => boolean;
}

/**
 * Finish the carts that a crash left in flight (ADR 15), on a schedule.
 * 1. List the in-flight carts, partition by partition of their sparse list in the `expiry` index (no scan).
 * 2. Read each (strongly consistent); one changed within `stuckAfterMs` is left alone: its saga or release may
 *    still be running.
 * 3. Claim it as it was read (one conditional write: same status, same `updatedAt`), which is also the fence a
 *    late saga step meets (steps need PENDING): PENDING or COMPENSATING → COMPENSATING, RELEASING → RELEASING.
 *    A cart that changed since is someone else's: skipped.
 * 4. Release every hold its plan could have made that is still HELD (each release guarded: idempotent).
 * 5. Settle it: COMPENSATING → FAILED (failure `saga-interrupted`), RELEASING → RELEASED.
 * A crash anywhere leaves the cart in flight, with a fresh `updatedAt`: a later run finishes it.
 */
export async function recoverStuckCarts(
  deps: UseCaseDeps,
  options: CartRecoveryOptions = {},
): Promise<CartRecoveryReport> {
  const stuckAfterMs = options.stuckAfterMs ?? STUCK_CART_AFTER_MS;
  const report = { found: 0, compensated: 0, released: 0 };
  for (const bucket of inFlightCartBuckets()) {
    if (options.shouldStop?.()) break;
    const listed = await deps.carts.findInFlightCarts(bucket, options.perBucket ?? 100);
    report.found += listed.length;
    for (const { ownerId, cartId } of listed) {
      if (options.shouldStop?.()) break;
      const cart = await deps.carts.getCart(ownerId, cartId);
      if (!cart || Date.parse(cart.updatedAt) > deps.clock.now() - stuckAfterMs) continue;
      const outcome = await recoverCart(deps, cart);
      if (outcome === 'FAILED') report.compensated++;
      if (outcome === 'RELEASED') report.released++;
    }
  }
  return report;
}

async function recoverCart(deps: UseCaseDeps, cart: Cart): Promise<'FAILED' | 'RELEASED' | null> {
  const at = () => new Date(deps.clock.now()).toISOString();
  const releasing = cart.status === 'RELEASING';
  if (!releasing && cart.status !== 'PENDING' && cart.status !== 'COMPENSATING') return null;
  const settling = releasing ? 'RELEASING' : 'COMPENSATING';
  try {
    const claimed = await deps.carts.setCartStatus(
      cart.ownerId,
      cart.cartId,
      [cart.status],
      settling,
      at(),
      null,
      { updatedAt: cart.updatedAt },
    );
    await releaseHolds(deps, claimed, releasing ? 'cart released (recovered)' : 'cart saga recovery');
    const settled = await deps.carts.setCartStatus(
      cart.ownerId,
      cart.cartId,
      [settling],
      releasing ? 'RELEASED' : 'FAILED',
      at(),
      releasing ? null : SAGA_INTERRUPTED,
    );
    return settled.status === 'RELEASED' || settled.status === 'FAILED' ? settled.status : null;
  } catch (error) {
    // Changed since it was read (a saga, its owner or another run moved it): not this run's to finish.
    if (error instanceof CartStateError || error instanceof NotFoundError) return null;
    throw error;
  }
}
