import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { levelBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/replenishment.js';
import { coldStart } from '../shared/runtime/deps.js';
import { setReplenishmentPolicy } from '../shared/use-cases/replenishment.js';

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
