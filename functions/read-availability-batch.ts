import { mapConcurrently } from '../shared/http/concurrency.js';
import { apiHandler } from '../shared/http/handler.js';
import { availabilityBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/availability.js';
import { coldStart } from '../shared/runtime/deps.js';
import { readAvailability } from '../shared/use-cases/reads.js';

const { deps, config } = coldStart();

/** One Query per distinct SKU (a SKU's levels share a partition), at most 10 in flight. */
export const handler = apiHandler(routes.readAvailabilityBatch, config, async ({ input }) => {
  const skus = [...new Set(input.body.skus)];
  const items = await mapConcurrently(skus, 10, (sku) => readAvailability(deps, sku));
  return ok({ items: items.map(availabilityBody) });
});
