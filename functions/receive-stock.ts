import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { stockChangeBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.receiveStock, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  const { quantity, reason, reference } = input.body;
  const result = await receiveStock(
    deps,
    { sku, locationId, quantity, idempotencyKey: input.idempotencyKey },
    { actor: caller.principal, reason, reference },
  );
  return ok(stockChangeBody(result), result.replayed);
});
