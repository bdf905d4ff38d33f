import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { stockChangeBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { adjustStock } from '../shared/stock/use-cases/stock-operations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.adjustStock, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  const { delta, reason, reference } = input.body;
  const result = await adjustStock(
    deps,
    { sku, locationId, delta, idempotencyKey: input.idempotencyKey },
    { actor: caller.principal, reason, reference },
  );
  return ok(stockChangeBody(result), result.replayed);
});
