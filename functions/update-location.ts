import * as routes from '../shared/locations/http/routes.js';
import { updateLocation } from '../shared/locations/use-cases/locations.js';
import { requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { locationBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.updateLocation, config, async ({ input, caller }) => {
  const { locationId } = input.path;
  requireLocations(caller, locationId);
  const { expectedVersion, ...changes } = input.body;
  return ok(locationBody(await updateLocation(deps, locationId, changes, expectedVersion ?? null)));
});
