import * as routes from '../shared/locations/http/routes.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { locationBody } from '../shared/platform/http/representations.js';
import { created } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.createLocation, config, async ({ input, caller }) => {
  const { ownerId, ...details } = input.body;
  const location = await createLocation(deps, { ...details, ownerId: ownerId ?? caller.principal });
  return created(locationBody(location), `/locations/${location.locationId}`);
});
