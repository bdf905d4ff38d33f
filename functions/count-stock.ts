import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { stockChangeBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { countStock } from '../shared/use-cases/stock-operations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.countStock, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  const { onHand, expectedVersion, reason } = input.body;
  const result = await countStock(
    deps,
    { sku, locationId, onHand, expectedVersion, idempotencyKey: input.idempotencyKey },
    { actor: caller.principal, reason },
  );
  return ok(stockChangeBody(result), result.replayed);
});
