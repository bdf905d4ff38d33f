import { mapConcurrently } from '../shared/platform/http/concurrency.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { availabilityBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/availability-routes.js';
import { findAvailability } from '../shared/stock/use-cases/reads.js';

const { deps, config } = coldStart();

/**
 * One Query per distinct SKU (a SKU's levels share a partition), at most 10 in flight. A SKU no location has is
 * marked `unknown`, not answered as zero available.
 */
export const handler = apiHandler(routes.readAvailabilityBatch, config, async ({ input }) => {
  const skus = [...new Set(input.body.skus)];
  const items = await mapConcurrently(skus, 10, async (sku) => {
    const found = await findAvailability(deps, sku);
    return found ? availabilityBody(found) : { sku, unknown: true as const };
  });
  return ok({ items });
});
