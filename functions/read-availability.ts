import { apiHandler } from '../shared/http/handler.js';
import { availabilityBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/availability.js';
import { coldStart } from '../shared/runtime/deps.js';
import { readAvailability } from '../shared/use-cases/reads.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.readAvailability, config, async ({ input }) =>
  ok(availabilityBody(await readAvailability(deps, input.path.sku))),
);
