import { ValidationError } from '../../kernel/errors.js';
import { parseCoordinates } from '../../kernel/geo.js';
import { type LocationId, parseLocationId, parseSku, type Sku } from '../../kernel/identifiers.js';
import { parseQuantity } from '../../kernel/quantity.js';
import type { Coordinates, Location } from '../../locations/domain/location.js';

/**
 * What `allocate` (in `allocation.ts`) takes, and its validation: the request comes from a cart, so every field
 * is checked and a ValidationError names the one at fault (`lines[2].quantity`).
 */

/** The most lines a cart may have: far above real carts, and it bounds the work of the greedy cover. */
export const MAX_CART_LINES = 50;

export const ALLOCATION_STRATEGIES = ['priority', 'fewest-shipments', 'nearest'] as const;
export type AllocationStrategy = (typeof ALLOCATION_STRATEGIES)[number];

export interface CartLine {
  readonly sku: Sku;
  readonly quantity: number;
  /** Pins the line to one location (a store pickup, a vendor's own warehouse). */
  readonly locationId?: LocationId | null;
}

/** The units of a SKU currently available at a location. A SKU missing from a location has none there. */
export interface LocationStock {
  readonly locationId: LocationId;
  readonly sku: Sku;
  /** May be negative (safety stock above on-hand); counts as none. */
  readonly available: number;
}

export interface AllocationRequest {
  /** The cart; a line's index is its position. */
  readonly lines: readonly CartLine[];
  readonly stock: readonly LocationStock[];
  readonly locations: readonly Location[];
  readonly strategy: AllocationStrategy;
  /** Where the cart ships to; required by `nearest`, ignored otherwise. */
  readonly destination?: Coordinates | null;
}

/** A validated cart line. */
export interface AllocationLine {
  readonly index: number;
  readonly sku: Sku;
  readonly quantity: number;
  readonly pin: LocationId | null;
}

/** `#` never occurs in identifiers, so the key is unambiguous. */
export const stockKey = (locationId: LocationId, sku: Sku) => `${locationId}#${sku}`;

/** A request after validation, with the inactive locations already left out. */
export interface ParsedAllocationRequest {
  readonly lines: readonly AllocationLine[];
  /** The active locations. */
  readonly locations: readonly Location[];
  readonly stock: readonly LocationStock[];
  readonly strategy: AllocationStrategy;
  readonly destination: Coordinates | null;
}

export function parseAllocationRequest(request: AllocationRequest): ParsedAllocationRequest {
  const strategy = request.strategy;
  if (!ALLOCATION_STRATEGIES.includes(strategy)) {
    throw new ValidationError('strategy', `strategy must be one of ${ALLOCATION_STRATEGIES.join(', ')}`);
  }
  let destination: Coordinates | null = null;
  if (strategy === 'nearest') {
    if (request.destination == null) {
      throw new ValidationError('destination', 'destination is required by the nearest strategy');
    }
    destination = parseCoordinates(request.destination, 'destination');
  }
  if (!Array.isArray(request.lines) || request.lines.length < 1 || request.lines.length > MAX_CART_LINES) {
    throw new ValidationError('lines', `lines must hold 1 to ${MAX_CART_LINES} lines`);
  }
  const lines = request.lines.map(
    (line, index): AllocationLine => ({
      index,
      sku: parseSku(line.sku, `lines[${index}].sku`),
      quantity: parseQuantity(line.quantity, `lines[${index}].quantity`),
      pin: line.locationId == null ? null : parseLocationId(line.locationId, `lines[${index}].locationId`),
    }),
  );
  const locations = parseLocations(request.locations).filter((l) => l.active);
  return { lines, locations, stock: parseStock(request.stock), strategy, destination };
}

/** Ranking needs unique ids, finite priorities and valid coordinates, or sorting would not be deterministic. */
function parseLocations(locations: readonly Location[]): readonly Location[] {
  const seen = new Set<LocationId>();
  locations.forEach((location, i) => {
    if (seen.has(location.locationId)) {
      throw new ValidationError(
        `locations[${i}].locationId`,
        `location ${location.locationId} is listed twice`,
      );
    }
    seen.add(location.locationId);
    if (typeof location.priority !== 'number' || !Number.isFinite(location.priority)) {
      throw new ValidationError(
        `locations[${i}].priority`,
        `locations[${i}].priority must be a finite number`,
      );
    }
    if (location.coordinates !== null) parseCoordinates(location.coordinates, `locations[${i}].coordinates`);
  });
  return locations;
}

/** One entry per (location, SKU): two would be ambiguous (added up, or one of them stale?). */
function parseStock(stock: readonly LocationStock[]): readonly LocationStock[] {
  const seen = new Set<string>();
  stock.forEach((entry, i) => {
    const k = stockKey(entry.locationId, entry.sku);
    if (seen.has(k)) {
      throw new ValidationError(
        `stock[${i}]`,
        `stock of ${entry.sku} at ${entry.locationId} is listed twice`,
      );
    }
    seen.add(k);
    if (!Number.isSafeInteger(entry.available)) {
      throw new ValidationError(`stock[${i}].available`, `stock[${i}].available must be an integer`);
    }
  });
  return stock;
}
