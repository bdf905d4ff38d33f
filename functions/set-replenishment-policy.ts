import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { levelBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/replenishment/http/routes.js';
import { setReplenishmentPolicy } from '../shared/replenishment/use-cases/replenishment.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.setReplenishmentPolicy, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  requireLocations(caller, locationId);
  const { reorderPoint, reorderQuantity, safetyStock } = input.body;
  const level = await setReplenishmentPolicy(
    deps,
    {
      sku,
      locationId,
      ...(reorderPoint !== undefined ? { reorderPoint } : {}),
      ...(reorderQuantity !== undefined ? { reorderQuantity } : {}),
      ...(safetyStock !== undefined ? { safetyStock } : {}),
    },
    { actor: caller.principal },
  );
  return ok(levelBody(level));
});
