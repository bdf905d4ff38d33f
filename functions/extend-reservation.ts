import * as routes from '../shared/holds/http/routes.js';
import { extendHold } from '../shared/holds/use-cases/reservations.js';
import { ownerScope } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { reservationBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.extendReservation, config, async ({ input, caller }) => {
  const reservation = await extendHold(
    deps,
    { reservationId: input.path.reservationId, ttlSeconds: input.body.ttlSeconds },
    ownerScope(caller),
  );
  return ok(reservationBody(reservation));
});
