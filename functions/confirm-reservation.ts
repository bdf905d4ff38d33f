import { holdScope } from '../shared/holds/http/hold-access.js';
import * as routes from '../shared/holds/http/routes.js';
import { resolveHold } from '../shared/holds/use-cases/reservations.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { reservationBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

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
