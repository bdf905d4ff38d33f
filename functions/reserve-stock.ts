import * as routes from '../shared/holds/http/routes.js';
import { reserveStock } from '../shared/holds/use-cases/reservations.js';
import { isAdmin } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { HttpProblem } from '../shared/platform/http/problem.js';
import { reservationBody } from '../shared/platform/http/representations.js';
import { created } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/**
 * Hold stock for the caller. A storefront caller is held to the abuse limits (OWASP API6): at most
 * `maxHoldQuantity` units per hold and `maxActiveHoldsPerCaller` live holds, the latter checked atomically in
 * the reserve transaction. Admins are not capped.
 */
export const handler = apiHandler(routes.reserveStock, config, async ({ input, caller }) => {
  const capped = !isAdmin(caller);
  const { sku, locationId, quantity, ttlSeconds, reference } = input.body;
  if (capped && quantity > config.maxHoldQuantity) {
    throw new HttpProblem(
      'hold-quantity-exceeded',
      `one hold may take at most ${config.maxHoldQuantity} units`,
      { field: 'quantity', maxQuantity: config.maxHoldQuantity },
    );
  }
  const { reservation, replayed } = await reserveStock(
    deps,
    {
      sku,
      locationId,
      quantity,
      ttlSeconds,
      reference,
      idempotencyKey: input.idempotencyKey,
      activeHoldCap: capped ? config.maxActiveHoldsPerCaller : null,
    },
    caller.principal,
  );
  return created(reservationBody(reservation), `/reservations/${reservation.reservationId}`, replayed);
});
