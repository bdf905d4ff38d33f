import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { replenishmentReceiptBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/replenishment/http/routes.js';
import { receiveReplenishment } from '../shared/replenishment/use-cases/replenishment.js';

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
