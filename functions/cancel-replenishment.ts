import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { replenishmentBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/replenishment/http/routes.js';
import { cancelReplenishment } from '../shared/replenishment/use-cases/replenishment.js';

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
