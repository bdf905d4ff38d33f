import type { LocationId, PrincipalId } from '../../kernel/identifiers.js';

export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

export interface Location {
  readonly locationId: LocationId;
  readonly name: string;
  readonly region: string;
  /** Lower is preferred by the priority allocation strategy. */
  readonly priority: number;
  readonly coordinates: Coordinates | null;
  /** The vendor or team that manages the location. */
  readonly ownerId: PrincipalId;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}
