import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { transferBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { transferStock } from '../shared/use-cases/stock-operations.js';

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
