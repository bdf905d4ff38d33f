import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { movementPageBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { listMovements } from '../shared/stock/use-cases/reads.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listMovements, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  const page = await listMovements(deps, sku, locationId, {
    limit: input.query.limit ?? 50,
    cursor: input.query.cursor ?? null,
    order: input.query.order ?? 'desc',
  });
  return ok(movementPageBody(page));
});
