import type { LocationId } from '../../kernel/identifiers.js';
import type { Location } from '../domain/location.js';

export interface LocationChanges {
  readonly name?: string;
  readonly region?: string;
  readonly priority?: number;
  readonly coordinates?: Location['coordinates'];
  readonly active?: boolean;
}

/** Storage of locations (warehouses). */
export interface LocationStore {
  /** Creates a location; an existing one is an AlreadyExistsError. */
  createLocation(location: Location): Promise<Location>;
  /** Applies changes, compare-and-set on `expectedVersion` when given (NotFoundError, VersionConflictError). */
  updateLocation(
    locationId: LocationId,
    changes: LocationChanges,
    at: string,
    expectedVersion: number | null,
  ): Promise<Location>;
  getLocation(locationId: LocationId): Promise<Location | null>;
  listLocations(): Promise<Location[]>;
}
