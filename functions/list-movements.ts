import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { movementPageBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { listMovements } from '../shared/use-cases/reads.js';

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
