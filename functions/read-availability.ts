import { apiHandler } from '../shared/platform/http/handler.js';
import { availabilityBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/availability-routes.js';
import { readRegionalAvailability } from '../shared/stock/use-cases/regional-availability.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readAvailability, config, async ({ input }) =>
  ok(availabilityBody(await readRegionalAvailability(deps, input.path.sku, input.query.region ?? null))),
);
