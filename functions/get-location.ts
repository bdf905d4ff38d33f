import { apiHandler } from '../shared/http/handler.js';
import { locationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/locations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { getLocation } from '../shared/use-cases/locations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.getLocation, config, async ({ input }) =>
  ok(locationBody(await getLocation(deps, input.path.locationId))),
);
