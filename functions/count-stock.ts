import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { stockChangeBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { countStock } from '../shared/stock/use-cases/stock-operations.js';

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
