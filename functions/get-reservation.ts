import * as routes from '../shared/holds/http/routes.js';
import { getReservation } from '../shared/holds/use-cases/reservations.js';
import { ownerScope } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { reservationBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.getReservation, config, async ({ input, caller }) =>
  ok(reservationBody(await getReservation(deps, input.path.reservationId, ownerScope(caller)))),
);
