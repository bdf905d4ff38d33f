import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { replenishmentBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/replenishment.js';
import { coldStart } from '../shared/runtime/deps.js';
import { cancelReplenishment } from '../shared/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.cancelReplenishment, config, async ({ input, caller }) => {
  const { sku, locationId, requestId } = input.path;
  requireLocations(caller, locationId);
  const result = await cancelReplenishment(
    deps,
    { sku, locationId, requestId },
    { actor: caller.principal, reason: input.body.reason ?? null },
  );
  // A request cancelled before is answered as it is, marked as a replay.
  return ok(replenishmentBody(result.request), !result.changed);
});
