import { apiHandler } from '../shared/http/handler.js';
import { locationBody } from '../shared/http/representations.js';
import { created } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/locations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { createLocation } from '../shared/use-cases/locations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.createLocation, config, async ({ input, caller }) => {
  const { ownerId, ...details } = input.body;
  const location = await createLocation(deps, { ...details, ownerId: ownerId ?? caller.principal });
  return created(locationBody(location), `/locations/${location.locationId}`);
});
