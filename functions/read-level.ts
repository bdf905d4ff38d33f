import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { levelBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { readLevel } from '../shared/stock/use-cases/reads.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readLevel, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  return ok(levelBody(await readLevel(deps, sku, locationId)));
});
