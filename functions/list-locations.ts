import * as routes from '../shared/locations/http/routes.js';
import { listLocations } from '../shared/locations/use-cases/locations.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { locationBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listLocations, config, async () =>
  ok({ locations: (await listLocations(deps)).map(locationBody) }),
);
