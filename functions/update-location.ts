import { requireLocations } from '../shared/http/authorization.js';
import { apiHandler } from '../shared/http/handler.js';
import { locationBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/locations.js';
import { coldStart } from '../shared/runtime/deps.js';
import { updateLocation } from '../shared/use-cases/locations.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.updateLocation, config, async ({ input, caller }) => {
  const { locationId } = input.path;
  requireLocations(caller, locationId);
  const { expectedVersion, ...changes } = input.body;
  return ok(locationBody(await updateLocation(deps, locationId, changes, expectedVersion ?? null)));
});
