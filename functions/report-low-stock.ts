import type { LocationId } from '../shared/kernel/identifiers.js';
import { levelPageBody } from '../shared/listings/http/representations.js';
import * as routes from '../shared/listings/http/routes.js';
import { lowStockReport } from '../shared/listings/use-cases/listings.js';
import { isAdmin, requireLocations } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.reportLowStock, config, async ({ input, caller }) => {
  const { locationId, limit, cursor } = input.query;
  if (locationId !== undefined) requireLocations(caller, locationId);
  // An admin's report covers every location; a warehouse's, the locations of its token.
  const locations: readonly LocationId[] =
    locationId !== undefined
      ? [locationId]
      : isAdmin(caller)
        ? (await deps.locations.listLocations()).map((l) => l.locationId)
        : [...caller.locations];
  const page = await lowStockReport(deps, locations, { limit: limit ?? 50, cursor: cursor ?? null });
  return ok(levelPageBody(page));
});
