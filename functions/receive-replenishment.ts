import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { replenishmentReceiptBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/replenishment.js';
import { coldStart } from '../shared/runtime/deps.js';
import { receiveReplenishment } from '../shared/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.receiveReplenishment, config, async ({ input, caller }) => {
  const { sku, locationId, requestId } = input.path;
  requireLocations(caller, locationId);
  const receipt = await receiveReplenishment(
    deps,
    { sku, locationId, requestId, quantity: input.body.quantity, idempotencyKey: input.idempotencyKey },
    { actor: caller.principal, reason: input.body.reason ?? null },
  );
  return ok(replenishmentReceiptBody(receipt), receipt.replayed);
});
