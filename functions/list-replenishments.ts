import { isAdmin, requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { replenishmentPageBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/replenishment/http/routes.js';
import { listReplenishments } from '../shared/replenishment/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listReplenishments, config, async ({ input, caller }) => {
  const { state, sku, locationId, limit, cursor } = input.query;
  if (locationId !== undefined) requireLocations(caller, locationId);
  const page = await listReplenishments(deps, {
    state: state ?? 'OPEN',
    sku: sku ?? null,
    locationId: locationId ?? null,
    // A warehouse caller sees only the requests of its own locations.
    within: isAdmin(caller) ? null : caller.locations,
    limit: limit ?? 25,
    cursor: cursor ?? null,
  });
  return ok(replenishmentPageBody(page));
});
