import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { replenishmentBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/replenishment.js';
import { coldStart } from '../shared/runtime/deps.js';
import { getReplenishment } from '../shared/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.getReplenishment, config, async ({ input, caller }) => {
  const { sku, locationId, requestId } = input.path;
  requireLocations(caller, locationId);
  return ok(replenishmentBody(await getReplenishment(deps, { sku, locationId, requestId })));
});
