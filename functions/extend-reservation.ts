import { ownerScope } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { reservationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/reservations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { extendHold } from '../shared/use-cases/reservations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.extendReservation, config, async ({ input, caller }) => {
  const reservation = await extendHold(
    deps,
    { reservationId: input.path.reservationId, ttlSeconds: input.body.ttlSeconds },
    ownerScope(caller),
  );
  return ok(reservationBody(reservation));
});
