import { apiHandler } from '../shared/http/handler.js';
import { locationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/locations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { listLocations } from '../shared/use-cases/locations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listLocations, config, async () =>
  ok({ locations: (await listLocations(deps)).map(locationBody) }),
);
