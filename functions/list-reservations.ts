import { ValidationError } from '../shared/kernel/errors.js';
import { reservationPageBody } from '../shared/listings/http/representations.js';
import * as routes from '../shared/listings/http/routes.js';
import { listReservations, type ReservationsOf } from '../shared/listings/use-cases/listings.js';
import { isAdmin } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { HttpProblem } from '../shared/platform/http/problem.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listReservations, config, async ({ input, caller }) => {
  const { status, ownerId, sku, locationId, limit, cursor } = input.query;
  if ((sku === undefined) !== (locationId === undefined)) {
    const missing = sku === undefined ? 'sku' : 'locationId';
    throw new ValidationError(
      missing,
      `${missing} is required with ${missing === 'sku' ? 'locationId' : 'sku'}`,
    );
  }
  if (ownerId !== undefined && sku !== undefined) {
    throw new ValidationError('ownerId', 'list by owner or by level (sku and locationId), not both');
  }
  const others = (ownerId !== undefined && ownerId !== caller.principal) || sku !== undefined;
  if (others && !isAdmin(caller)) {
    throw new HttpProblem('forbidden', "only an admin may list another caller's or a level's reservations");
  }
  const of: ReservationsOf =
    sku !== undefined && locationId !== undefined
      ? { sku, locationId }
      : { ownerId: ownerId ?? caller.principal };
  const page = await listReservations(deps, of, {
    status: status ?? null,
    limit: limit ?? 50,
    cursor: cursor ?? null,
  });
  return ok(reservationPageBody(page));
});
