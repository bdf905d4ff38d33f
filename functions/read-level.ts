import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { levelBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { readLevel } from '../shared/use-cases/reads.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readLevel, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  return ok(levelBody(await readLevel(deps, sku, locationId)));
});
