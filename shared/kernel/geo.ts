import type { Coordinates } from '../locations/domain/location.js';
import { ValidationError } from './errors.js';

/** Mean Earth radius (IUGG), in kilometres. Close enough for ranking warehouses; not for navigation. */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance in kilometres by the haversine formula. The sphere is off by up to about 0.5 % from the
 * ellipsoid, which never changes which of two warehouses is nearer unless they are nearly tied anyway.
 */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  // min() guards asin against rounding just above 1 for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Latitude in [-90, 90] and longitude in [-180, 180], both finite numbers. */
export function parseCoordinates(value: unknown, field = 'coordinates'): Coordinates {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(field, `${field} must be an object with latitude and longitude`);
  }
  const { latitude, longitude } = value as Record<string, unknown>;
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || Math.abs(latitude) > 90) {
    throw new ValidationError(`${field}.latitude`, `${field}.latitude must be a number from -90 to 90`);
  }
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || Math.abs(longitude) > 180) {
    throw new ValidationError(`${field}.longitude`, `${field}.longitude must be a number from -180 to 180`);
  }
  return { latitude, longitude };
}

/** Decimal places a coordinate is kept to: about 1 cm, far finer than any warehouse needs. */
export const COORDINATE_DECIMALS = 7;

/**
 * A coordinate rounded to `COORDINATE_DECIMALS` places, and never -0. Besides dropping meaningless digits, this
 * keeps every stored coordinate a number DynamoDB can hold (it refuses magnitudes below 1e-130, e.g. 1e-131).
 */
export function roundCoordinate(value: number): number {
  return Number(value.toFixed(COORDINATE_DECIMALS)) + 0;
}
