import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { stockChangeBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { receiveStock } from '../shared/use-cases/stock-operations.js';

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
