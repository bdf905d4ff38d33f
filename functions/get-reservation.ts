import { ownerScope } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { reservationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/reservations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { getReservation } from '../shared/use-cases/reservations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.getReservation, config, async ({ input, caller }) =>
  ok(reservationBody(await getReservation(deps, input.path.reservationId, ownerScope(caller)))),
);
