import { apiHandler } from '../shared/http/handler.js';
import { holdScope } from '../shared/http/hold-access.js';
import { reservationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/reservations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { resolveHold } from '../shared/use-cases/reservations.js';

const { deps, config } = coldStart();

/**
 * A hold already confirmed is answered as it is, marked as a replay: nothing changes.
 */
export const handler = apiHandler(routes.confirmReservation, config, async ({ input, caller }) => {
  const { reservationId } = input.path;
  const scope = await holdScope(deps, caller, reservationId, false);
  const outcome = await resolveHold(
    deps,
    'confirm',
    { reservationId, reason: input.body.reason },
    scope,
    caller.principal,
  );
  return ok(reservationBody(outcome.reservation), !outcome.changed);
});
