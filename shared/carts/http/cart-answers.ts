import { HttpProblem } from '../../platform/http/problem.js';
import { cartBody } from '../../platform/http/representations.js';
import { created, type RouteResult } from '../../platform/http/responses.js';
import type { CartView } from '../use-cases/carts.js';

/**
 * The answer to a cart reservation request, from the cart as the saga left it:
 * - HELD (or, for a repeated request, CONFIRMED, RELEASED or EXPIRED since): 201 with the cart;
 * - FAILED: 409 naming the line that failed, `insufficient-stock` when it was short of stock, else
 *   `cart-failed` (the same request again gets the same answer: the cart id is spent);
 * - still PENDING or COMPENSATING (the saga did not finish): 503, and the same request again re-drives it;
 * - RELEASING (its owner's release, or the stuck-cart recovery, has not finished): 503, ask again later.
 */
export function cartReservationAnswer(cart: CartView, replayed: boolean): RouteResult {
  switch (cart.status) {
    case 'HELD':
    case 'CONFIRMED':
    case 'RELEASED':
    case 'EXPIRED':
      return created(cartBody(cart), `/carts/${encodeURIComponent(cart.cartId)}`, replayed);
    case 'FAILED':
      throw failedCartProblem(cart);
    case 'PENDING':
    case 'COMPENSATING':
      throw new HttpProblem(
        'service-busy',
        `cart ${cart.cartId} is still ${cart.status}: repeat the same request to finish it`,
        { cartId: cart.cartId, cartStatus: cart.status },
        { 'retry-after': '1' },
      );
    case 'RELEASING':
      throw new HttpProblem(
        'service-busy',
        `cart ${cart.cartId} is being released: read it again shortly`,
        { cartId: cart.cartId, cartStatus: cart.status },
        { 'retry-after': '5' },
      );
  }
}

function failedCartProblem(cart: CartView): HttpProblem {
  const failure = cart.failure;
  const line = failure?.lineIndex === null || failure?.lineIndex === undefined ? null : failure.lineIndex;
  const planned = cart.holds.find((h) => h.lineIndex === line && h.locationId === failure?.locationId);
  const members = {
    cartId: cart.cartId,
    cartStatus: cart.status,
    lineIndex: line,
    sku: failure?.sku ?? null,
    locationId: failure?.locationId ?? null,
    requested: planned?.quantity ?? null,
    available: failure?.available ?? null,
    failureCode: failure?.code ?? null,
  };
  if (failure?.code === 'insufficient-stock')
    return new HttpProblem(
      'insufficient-stock',
      `cart ${cart.cartId} was not held: ${failure.detail}`,
      members,
    );
  return new HttpProblem(
    'cart-failed',
    `cart ${cart.cartId} was not held and nothing of it is held: ${failure?.detail ?? 'the saga failed'}`,
    members,
  );
}
