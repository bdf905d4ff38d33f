import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { transferBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { transferStock } from '../shared/stock/use-cases/stock-operations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.transferStock, config, async ({ input, caller }) => {
  const { from, to, quantity, reason, reference } = input.body;
  requireLocations(caller, from, to);
  const result = await transferStock(
    deps,
    { sku: input.path.sku, from, to, quantity, idempotencyKey: input.idempotencyKey },
    { actor: caller.principal, reason, reference },
  );
  return ok(transferBody(result), result.replayed);
});
