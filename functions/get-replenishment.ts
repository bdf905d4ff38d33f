import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { replenishmentBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/replenishment/http/routes.js';
import { getReplenishment } from '../shared/replenishment/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.getReplenishment, config, async ({ input, caller }) => {
  const { sku, locationId, requestId } = input.path;
  requireLocations(caller, locationId);
  return ok(replenishmentBody(await getReplenishment(deps, { sku, locationId, requestId })));
});
