import { levelPageBody } from '../shared/listings/http/representations.js';
import * as routes from '../shared/listings/http/routes.js';
import { listLevelsAt } from '../shared/listings/use-cases/listings.js';
import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listLocationLevels, config, async ({ input, caller }) => {
  const { locationId } = input.path;
  requireLocations(caller, locationId);
  const { skuPrefix, filter, limit, cursor } = input.query;
  const page = await listLevelsAt(deps, locationId, {
    skuPrefix: skuPrefix ?? '',
    filter: filter ?? null,
    limit: limit ?? 50,
    cursor: cursor ?? null,
  });
  return ok(levelPageBody(page));
});
