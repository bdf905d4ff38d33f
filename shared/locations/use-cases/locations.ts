import { NotFoundError } from '../../kernel/errors.js';
import type { LocationId, PrincipalId } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { Location } from '../domain/location.js';
import type { LocationChanges } from '../store/location-store.js';

export interface NewLocation {
  readonly locationId: LocationId;
  readonly name: string;
  readonly region: string;
  readonly priority?: number;
  readonly coordinates?: Location['coordinates'];
  readonly ownerId: PrincipalId;
}

/** Create a location; its id must be new. */
export function createLocation(deps: UseCaseDeps, input: NewLocation): Promise<Location> {
  const at = new Date(deps.clock.now()).toISOString();
  return deps.locations.createLocation({
    locationId: input.locationId,
    name: input.name,
    region: input.region,
    priority: input.priority ?? 100,
    coordinates: input.coordinates ?? null,
    ownerId: input.ownerId,
    active: true,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
}

/** Change a location's details, optionally guarded by its version. */
export function updateLocation(
  deps: UseCaseDeps,
  locationId: LocationId,
  changes: LocationChanges,
  expectedVersion: number | null,
): Promise<Location> {
  return deps.locations.updateLocation(
    locationId,
    changes,
    new Date(deps.clock.now()).toISOString(),
    expectedVersion,
  );
}

export async function getLocation(deps: UseCaseDeps, locationId: LocationId): Promise<Location> {
  const location = await deps.locations.getLocation(locationId);
  if (!location) throw new NotFoundError('location', locationId);
  return location;
}

export function listLocations(deps: UseCaseDeps): Promise<Location[]> {
  return deps.locations.listLocations();
}
