import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AllocationPlan,
  type AllocationRequest,
  type AllocationResult,
  type AllocationStrategy,
  allocate,
  type CartLine,
  type LocationStock,
  MAX_CART_LINES,
  stepsFor,
} from '../../shared/carts/domain/allocation.js';
import { ValidationError } from '../../shared/kernel/errors.js';
import { distanceKm } from '../../shared/kernel/geo.js';
import {
  type LocationId,
  parseLocationId,
  parsePrincipalId,
  parseSku,
  type Sku,
} from '../../shared/kernel/identifiers.js';
import type { Coordinates, Location } from '../../shared/locations/domain/location.js';

const BERLIN: Coordinates = { latitude: 52.52, longitude: 13.405 };
const HAMBURG: Coordinates = { latitude: 53.5511, longitude: 9.9937 };
const MUNICH: Coordinates = { latitude: 48.1351, longitude: 11.582 };
const PARIS: Coordinates = { latitude: 48.8566, longitude: 2.3522 };

function location(
  id: string,
  priority: number,
  extra: { coordinates?: Coordinates | null; active?: boolean } = {},
): Location {
  return {
    locationId: parseLocationId(id),
    name: `Warehouse ${id}`,
    region: 'eu-central-1',
    priority,
    coordinates: extra.coordinates ?? null,
    ownerId: parsePrincipalId('vendor-1'),
    active: extra.active ?? true,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    version: 1,
  };
}

/** `'A TEE 5'` is 5 TEE available at A. */
const stockOf = (...entries: string[]): LocationStock[] =>
  entries.map((entry) => {
    const [locationId, sku, available] = entry.split(' ');
    return { locationId: parseLocationId(locationId), sku: parseSku(sku), available: Number(available) };
  });

/** `'TEE 3'` is 3 TEE; `'TEE 3 @A'` is pinned to A. */
const cart = (...entries: string[]): CartLine[] =>
  entries.map((entry) => {
    const [sku, quantity, pin] = entry.split(' ');
    return {
      sku: parseSku(sku),
      quantity: Number(quantity),
      ...(pin ? { locationId: parseLocationId(pin.slice(1)) } : {}),
    };
  });

/** A plan as `['A 0:TEE×3 1:MUG×1', ...]`, one string per step. */
function shape(result: AllocationResult): string[] {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.failure)}`);
  return result.plan.steps.map(
    (s) => `${s.locationId} ${s.lines.map((l) => `${l.lineIndex}:${l.sku}×${l.quantity}`).join(' ')}`,
  );
}

function fieldOf(act: () => unknown): string | undefined {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('priority allocation', () => {
  it('serves each line whole from the best-ranked location that has enough, steps in priority order', () => {
    const locations = [location('B', 2), location('A', 1)];
    const stock = stockOf('A TEE 5', 'A MUG 1', 'B MUG 4');
    const result = allocate({ lines: cart('TEE 2', 'MUG 3'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['A 0:TEE×2', 'B 1:MUG×3']);
  });

  it('breaks ties in priority by location id', () => {
    const locations = [location('WH-b', 1), location('WH-a', 1)];
    const stock = stockOf('WH-a TEE 5', 'WH-b TEE 5');
    const result = allocate({ lines: cart('TEE 2'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['WH-a 0:TEE×2']);
  });

  it('prefers one lower-ranked location that has the whole line to a split', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 2', 'B TEE 5');
    const result = allocate({ lines: cart('TEE 4'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['B 0:TEE×4']);
  });

  it('splits a line in priority order when no single location has enough', () => {
    const locations = [location('C', 3), location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 2', 'B TEE 3', 'C TEE 9');
    const result = allocate({ lines: cart('TEE 10'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['A 0:TEE×2', 'B 0:TEE×3', 'C 0:TEE×5']);
  });

  it('lets two lines of the same SKU share the stock of a location', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 5', 'B TEE 3');
    const result = allocate({ lines: cart('TEE 3', 'TEE 3'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['A 0:TEE×3', 'B 1:TEE×3']);
  });

  it('never serves from an inactive location', () => {
    const locations = [location('A', 1, { active: false }), location('B', 2)];
    const stock = stockOf('A TEE 50', 'B TEE 3');
    const result = allocate({ lines: cart('TEE 3'), stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['B 0:TEE×3']);
  });

  it('serves a pinned line only from its location, before unpinned lines take its units', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 3', 'B TEE 3', 'A MUG 9', 'B MUG 9');
    const lines = cart('TEE 3', 'MUG 1 @B', 'TEE 3 @A');
    const result = allocate({ lines, stock, locations, strategy: 'priority' });
    expect(shape(result)).toEqual(['A 2:TEE×3', 'B 0:TEE×3 1:MUG×1']);
  });

  it('ignores stock at unknown locations and counts a negative available as none', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('ZZ TEE 9', 'A TEE -4', 'B TEE 2');
    const result = allocate({ lines: cart('TEE 3'), stock, locations, strategy: 'priority' });
    expect(result).toEqual({
      ok: false,
      failure: { lineIndex: 0, sku: 'TEE', requested: 3, available: 2 },
    });
  });
});

describe('allocation failures', () => {
  it('names the first short line and the units left for it after the earlier lines', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 3', 'B TEE 2', 'A MUG 1');
    const lines = cart('MUG 1', 'TEE 4', 'TEE 3', 'MUG 5');
    const result = allocate({ lines, stock, locations, strategy: 'priority' });
    expect(result).toEqual({
      ok: false,
      failure: { lineIndex: 2, sku: 'TEE', requested: 3, available: 1 },
    });
  });

  it('reports a pinned line short at its location even when other locations have plenty', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 2', 'B TEE 50');
    const result = allocate({
      lines: cart('TEE 3 @A'),
      stock,
      locations,
      strategy: 'nearest',
      destination: BERLIN,
    });
    expect(result).toEqual({
      ok: false,
      failure: { lineIndex: 0, sku: 'TEE', requested: 3, available: 2 },
    });
  });

  it('reports a line pinned to an inactive location as having nothing available', () => {
    const locations = [location('A', 1, { active: false }), location('B', 2)];
    const stock = stockOf('A TEE 9', 'B TEE 9');
    const result = allocate({ lines: cart('TEE 1 @A'), stock, locations, strategy: 'fewest-shipments' });
    expect(result).toEqual({
      ok: false,
      failure: { lineIndex: 0, sku: 'TEE', requested: 1, available: 0 },
    });
  });

  it('reports the same failure whatever the strategy', () => {
    const locations = [location('A', 1, { coordinates: PARIS }), location('B', 2, { coordinates: BERLIN })];
    const stock = stockOf('A TEE 3', 'B TEE 2', 'B MUG 1');
    const lines = cart('TEE 2', 'MUG 1', 'TEE 4');
    const failures = (['priority', 'fewest-shipments', 'nearest'] as const).map((strategy) => {
      const result = allocate({ lines, stock, locations, strategy, destination: BERLIN });
      return result.ok ? null : result.failure;
    });
    expect(failures).toEqual(Array(3).fill({ lineIndex: 2, sku: 'TEE', requested: 4, available: 3 }));
  });
});

describe('nearest allocation', () => {
  const locations = [
    location('PAR', 1, { coordinates: PARIS }),
    location('MUC', 2, { coordinates: MUNICH }),
    location('HAM', 5, { coordinates: HAMBURG }),
    location('NOWHERE', 0),
  ];

  it('serves from the nearest location that has the whole line, regardless of priority', () => {
    const stock = stockOf('PAR TEE 9', 'MUC TEE 9', 'HAM TEE 9', 'NOWHERE TEE 9', 'PAR MUG 9', 'MUC MUG 9');
    const result = allocate({
      lines: cart('TEE 2', 'MUG 1'),
      stock,
      locations,
      strategy: 'nearest',
      destination: BERLIN,
    });
    expect(shape(result)).toEqual(['HAM 0:TEE×2', 'MUC 1:MUG×1']);
  });

  it('ranks locations without coordinates after all others', () => {
    const stock = stockOf('PAR TEE 1', 'NOWHERE TEE 5');
    const result = allocate({
      lines: cart('TEE 3'),
      stock,
      locations,
      strategy: 'nearest',
      destination: BERLIN,
    });
    expect(shape(result)).toEqual(['NOWHERE 0:TEE×3']);
    const split = allocate({
      lines: cart('TEE 6'),
      stock,
      locations,
      strategy: 'nearest',
      destination: BERLIN,
    });
    expect(shape(split)).toEqual(['PAR 0:TEE×1', 'NOWHERE 0:TEE×5']);
  });

  it('splits a line in order of distance', () => {
    const stock = stockOf('PAR TEE 5', 'MUC TEE 2', 'HAM TEE 1');
    const result = allocate({
      lines: cart('TEE 6'),
      stock,
      locations,
      strategy: 'nearest',
      destination: BERLIN,
    });
    expect(shape(result)).toEqual(['HAM 0:TEE×1', 'MUC 0:TEE×2', 'PAR 0:TEE×3']);
  });

  it('ranks by distance to the destination, so another destination gives another plan', () => {
    const stock = stockOf('PAR TEE 9', 'HAM TEE 9');
    const result = allocate({
      lines: cart('TEE 1'),
      stock,
      locations,
      strategy: 'nearest',
      destination: PARIS,
    });
    expect(shape(result)).toEqual(['PAR 0:TEE×1']);
  });

  it('refuses the nearest strategy without a valid destination', () => {
    const request = { lines: cart('TEE 1'), stock: [], locations, strategy: 'nearest' } as const;
    expect(fieldOf(() => allocate(request))).toBe('destination');
    expect(fieldOf(() => allocate({ ...request, destination: { latitude: 91, longitude: 0 } }))).toBe(
      'destination.latitude',
    );
  });
});

describe('fewest-shipments allocation', () => {
  it('ships from the best-ranked single location that can serve the whole cart', () => {
    const locations = [location('A', 1), location('B', 2), location('C', 3), location('D', 4)];
    const stock = stockOf('A TEE 9', 'B TEE 2', 'B MUG 1', 'C TEE 9', 'C MUG 9', 'D TEE 9', 'D MUG 9');
    const lines = cart('TEE 2', 'MUG 1', 'TEE 1');
    const result = allocate({ lines, stock, locations, strategy: 'fewest-shipments' });
    expect(shape(result)).toEqual(['C 0:TEE×2 1:MUG×1 2:TEE×1']);
  });

  it('picks first the location that covers the most units in whole lines', () => {
    const locations = [location('A', 1), location('B', 2), location('C', 3)];
    const stock = stockOf('A TEE 1', 'B MUG 1', 'C TEE 1', 'C CAP 1');
    const lines = cart('TEE 1', 'MUG 1', 'CAP 1');
    const priority = allocate({ lines, stock, locations, strategy: 'priority' });
    const fewest = allocate({ lines, stock, locations, strategy: 'fewest-shipments' });
    expect(shape(priority)).toHaveLength(3);
    expect(shape(fewest)).toEqual(['B 1:MUG×1', 'C 0:TEE×1 2:CAP×1']);
  });

  it('serves unpinned lines from the locations the pinned lines already ship from', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 9', 'B TEE 9', 'B MUG 9');
    const lines = cart('TEE 2', 'MUG 1 @B');
    const result = allocate({ lines, stock, locations, strategy: 'fewest-shipments' });
    expect(shape(result)).toEqual(['B 0:TEE×2 1:MUG×1']);
  });

  it('splits only a line no location can serve whole, first over the locations already in the plan', () => {
    const locations = [location('A', 1), location('B', 2), location('C', 3)];
    const stock = stockOf('A TEE 2', 'B MUG 1', 'B TEE 4', 'C TEE 5');
    const result = allocate({
      lines: cart('MUG 1', 'TEE 6'),
      stock,
      locations,
      strategy: 'fewest-shipments',
    });
    expect(shape(result)).toEqual(['B 0:MUG×1 1:TEE×4', 'C 1:TEE×2']);
  });

  it('keeps the priority plan when the greedy cover would ship from more locations', () => {
    // Greedy takes C first (4 units) and then still needs A and B; A and B alone serve the whole cart.
    const locations = [location('A', 1), location('B', 2), location('C', 3)];
    const stock = stockOf(
      ...['U1', 'U2', 'U3'].map((s) => `A ${s} 1`),
      ...['U4', 'U5', 'U6'].map((s) => `B ${s} 1`),
      ...['U1', 'U2', 'U4', 'U5'].map((s) => `C ${s} 1`),
    );
    const lines = cart('U1 1', 'U2 1', 'U3 1', 'U4 1', 'U5 1', 'U6 1');
    const result = allocate({ lines, stock, locations, strategy: 'fewest-shipments' });
    expect(shape(result)).toEqual(['A 0:U1×1 1:U2×1 2:U3×1', 'B 3:U4×1 4:U5×1 5:U6×1']);
  });

  it('keeps the priority plan when a line served where the plan already ships takes stock a later line needed', () => {
    // Greedy serves the 1 CAP at B, which already ships the pinned TEE; B is then 1 short for the 6 CAP, which
    // go to C, and the unpinned TEE to A: three locations. Priority serves TEE and 1 CAP at A, the 6 at B.
    const locations = [location('A', 1), location('B', 2), location('C', 3)];
    const stock = stockOf('A TEE 1', 'A CAP 1', 'B TEE 1', 'B CAP 6', 'C CAP 6');
    const lines = cart('TEE 1 @B', 'TEE 1', 'CAP 1', 'CAP 6');
    const result = allocate({ lines, stock, locations, strategy: 'fewest-shipments' });
    expect(shape(result)).toEqual(['A 1:TEE×1 2:CAP×1', 'B 0:TEE×1 3:CAP×6']);
  });
});

describe('steps for the saga', () => {
  it('adds up the lines of one SKU at one location, since a transaction may touch a level only once', () => {
    const locations = [location('A', 1), location('B', 2)];
    const stock = stockOf('A TEE 4', 'A MUG 1', 'B TEE 9');
    const result = allocate({
      lines: cart('TEE 2', 'MUG 1', 'TEE 1', 'TEE 3'),
      stock,
      locations,
      strategy: 'priority',
    });
    if (!result.ok) throw new Error('expected a plan');
    expect(stepsFor(result.plan)).toEqual([
      {
        locationId: 'A',
        items: [
          { sku: 'TEE', quantity: 3 },
          { sku: 'MUG', quantity: 1 },
        ],
      },
      { locationId: 'B', items: [{ sku: 'TEE', quantity: 3 }] },
    ]);
  });
});

describe('allocation input validation', () => {
  const locations = [location('A', 1)];
  const stock = stockOf('A TEE 9');
  const base: AllocationRequest = { lines: cart('TEE 1'), stock, locations, strategy: 'priority' };

  it('refuses an empty cart and one above the line limit', () => {
    expect(fieldOf(() => allocate({ ...base, lines: [] }))).toBe('lines');
    const tooMany = cart(...Array.from({ length: MAX_CART_LINES + 1 }, () => 'TEE 1'));
    expect(fieldOf(() => allocate({ ...base, lines: tooMany }))).toBe('lines');
    const atLimit = cart(...Array.from({ length: MAX_CART_LINES }, () => 'TEE 1'));
    expect(fieldOf(() => allocate({ ...base, lines: atLimit }))).toBeUndefined();
  });

  it('names the line and field of a bad quantity, SKU or pin', () => {
    const lines = cart('TEE 1', 'TEE 1', 'TEE 0');
    expect(fieldOf(() => allocate({ ...base, lines }))).toBe('lines[2].quantity');
    const fractional = [...cart('TEE 1'), { sku: parseSku('TEE'), quantity: 1.5 }];
    expect(fieldOf(() => allocate({ ...base, lines: fractional }))).toBe('lines[1].quantity');
    const badSku = [{ sku: 'A#B' as Sku, quantity: 1 }];
    expect(fieldOf(() => allocate({ ...base, lines: badSku }))).toBe('lines[0].sku');
    const badPin = [{ sku: parseSku('TEE'), quantity: 1, locationId: 'W H' as LocationId }];
    expect(fieldOf(() => allocate({ ...base, lines: badPin }))).toBe('lines[0].locationId');
  });

  it('refuses an unknown strategy, a location listed twice and a stock entry listed twice', () => {
    const strategy = 'cheapest' as AllocationStrategy;
    expect(fieldOf(() => allocate({ ...base, strategy }))).toBe('strategy');
    const twice = [location('A', 1), location('B', 1), location('A', 2)];
    expect(fieldOf(() => allocate({ ...base, locations: twice }))).toBe('locations[2].locationId');
    expect(fieldOf(() => allocate({ ...base, stock: stockOf('A TEE 1', 'A TEE 2') }))).toBe('stock[1]');
    expect(fieldOf(() => allocate({ ...base, stock: stockOf('A TEE 1.5') }))).toBe('stock[0].available');
  });
});

describe('great-circle distance', () => {
  it('measures Berlin to Paris as about 878 km, symmetrically, and a point to itself as zero', () => {
    expect(distanceKm(BERLIN, PARIS)).toBeGreaterThan(870);
    expect(distanceKm(BERLIN, PARIS)).toBeLessThan(885);
    expect(distanceKm(PARIS, BERLIN)).toBe(distanceKm(BERLIN, PARIS));
    expect(distanceKm(MUNICH, MUNICH)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties over random carts and stock. The world is small (5 locations, 3 SKUs, few units) so that
// shortages, shared stock, splits and ties in priority happen often.

const LOCATION_IDS = ['L1', 'L2', 'L3', 'L4', 'L5'].map((id) => parseLocationId(id));
const SKUS = ['S1', 'S2', 'S3'].map((s) => parseSku(s));
const STRATEGIES: readonly AllocationStrategy[] = ['priority', 'fewest-shipments', 'nearest'];

const coordinates = fc.record({
  latitude: fc.double({ min: -89, max: 89, noNaN: true }),
  longitude: fc.double({ min: -179, max: 179, noNaN: true }),
});

/** Four or five of the locations, in random order: stock and pins may name the one left off. */
const locationsArb = fc.shuffledSubarray(LOCATION_IDS, { minLength: LOCATION_IDS.length - 1 }).chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc
        .record({
          priority: fc.integer({ min: 0, max: 3 }),
          coordinates: fc.option(coordinates, { freq: 4 }),
          // About one location in five is inactive.
          active: fc.integer({ min: 0, max: 4 }).map((n) => n !== 0),
        })
        .map(({ priority, coordinates, active }) => location(id, priority, { coordinates, active })),
    ),
  ),
);

/** Most (location, SKU) pairs have some stock, a few have none, a negative available or no entry at all. */
const stockArb = fc
  .tuple(
    ...LOCATION_IDS.flatMap((locationId) =>
      SKUS.map((sku) =>
        fc
          .option(fc.integer({ min: -1, max: 8 }), { freq: 6, nil: undefined })
          .map((available) => (available === undefined ? [] : [{ locationId, sku, available }])),
      ),
    ),
  )
  .map((entries) => entries.flat());

/** About one line in five is pinned. */
const lineArb = (pins: boolean) =>
  fc.record({
    sku: fc.constantFrom(...SKUS),
    quantity: fc.integer({ min: 1, max: 6 }),
    locationId: pins
      ? fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 4 },
          { arbitrary: fc.constantFrom(...LOCATION_IDS), weight: 1 },
        )
      : fc.constant(undefined),
  });

const requestArb = (options: { pins?: boolean; strategy?: AllocationStrategy } = {}) =>
  fc.record({
    lines: fc.array(lineArb(options.pins ?? true), { minLength: 1, maxLength: 5 }),
    stock: stockArb,
    locations: locationsArb,
    strategy: options.strategy ? fc.constant(options.strategy) : fc.constantFrom(...STRATEGIES),
    destination: coordinates,
  });

/** Units of a SKU at a location the request allows the allocation to use (active, never negative). */
function availableAt(request: AllocationRequest, locationId: LocationId, sku: Sku): number {
  const active = request.locations.some((l) => l.locationId === locationId && l.active);
  const entry = request.stock.find((s) => s.locationId === locationId && s.sku === sku);
  return active && entry ? Math.max(0, entry.available) : 0;
}

function activeIds(request: AllocationRequest): LocationId[] {
  return request.locations.filter((l) => l.active).map((l) => l.locationId);
}

function planOf(result: AllocationResult): AllocationPlan | null {
  return result.ok ? result.plan : null;
}

/** (location, SKU) → units the plan takes there, optionally leaving out one line. */
function takenAt(plan: AllocationPlan, locationId: LocationId, sku: Sku, exceptLine = -1): number {
  return plan.steps
    .filter((s) => s.locationId === locationId)
    .flatMap((s) => s.lines)
    .filter((l) => l.sku === sku && l.lineIndex !== exceptLine)
    .reduce((sum, l) => sum + l.quantity, 0);
}

/** Some allocation exists: pinned demand fits at each (active) pin, total demand fits per SKU. */
function servable(request: AllocationRequest): boolean {
  const pinned = new Map<string, number>();
  const total = new Map<Sku, number>();
  for (const line of request.lines) {
    total.set(line.sku, (total.get(line.sku) ?? 0) + line.quantity);
    if (line.locationId) {
      const k = `${line.locationId}#${line.sku}`;
      pinned.set(k, (pinned.get(k) ?? 0) + line.quantity);
    }
  }
  for (const [k, demand] of pinned) {
    const [locationId, sku] = k.split('#') as [LocationId, Sku];
    if (demand > availableAt(request, locationId, sku)) return false;
  }
  for (const [sku, demand] of total) {
    const supply = activeIds(request).reduce((sum, id) => sum + availableAt(request, id, sku), 0);
    if (demand > supply) return false;
  }
  return true;
}

/** Active locations in the strategy's order, as the rules state it (fewest-shipments lists by priority). */
function rankingOf(request: AllocationRequest): LocationId[] {
  const key = (l: Location): [number, number, string] => {
    const km =
      request.strategy !== 'nearest' || !request.destination
        ? 0
        : l.coordinates
          ? distanceKm(l.coordinates, request.destination)
          : Number.POSITIVE_INFINITY;
    return [km, l.priority, l.locationId];
  };
  return request.locations
    .filter((l) => l.active)
    .map((l) => ({ id: l.locationId, key: key(l) }))
    .sort((a, b) => {
      for (let i = 0; i < 3; i++) {
        if (a.key[i] !== b.key[i]) return (a.key[i] ?? 0) < (b.key[i] ?? 0) ? -1 : 1;
      }
      return 0;
    })
    .map((r) => r.id);
}

const RUNS = { numRuns: 500 };

describe('allocation properties', () => {
  it('serves exactly the quantity of every line, with its own SKU', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const plan = planOf(allocate(request));
        fc.pre(plan !== null);
        const served = new Map<number, number>();
        for (const line of plan?.steps.flatMap((s) => s.lines) ?? []) {
          expect(line.sku).toBe(request.lines[line.lineIndex]?.sku);
          expect(line.quantity).toBeGreaterThan(0);
          served.set(line.lineIndex, (served.get(line.lineIndex) ?? 0) + line.quantity);
        }
        expect([...served.keys()].sort((a, b) => a - b)).toEqual(request.lines.map((_, i) => i));
        expect(request.lines.map((_, i) => served.get(i))).toEqual(request.lines.map((l) => l.quantity));
      }),
      RUNS,
    );
  });

  it('never takes more of a SKU at a location than is available there, counting every line', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const plan = planOf(allocate(request));
        fc.pre(plan !== null);
        for (const id of LOCATION_IDS) {
          for (const sku of SKUS) {
            if (plan) expect(takenAt(plan, id, sku)).toBeLessThanOrEqual(availableAt(request, id, sku));
          }
        }
      }),
      RUNS,
    );
  });

  it('serves pinned lines only from their location', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const plan = planOf(allocate(request));
        fc.pre(plan !== null);
        for (const step of plan?.steps ?? []) {
          for (const line of step.lines) {
            const pin = request.lines[line.lineIndex]?.locationId;
            if (pin) expect(step.locationId).toBe(pin);
          }
        }
      }),
      RUNS,
    );
  });

  it('without pins, succeeds exactly when every SKU has enough in total at active locations', () => {
    fc.assert(
      fc.property(requestArb({ pins: false }), (request) => {
        const enough = SKUS.every(
          (sku) =>
            request.lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0) <=
            activeIds(request).reduce((sum, id) => sum + availableAt(request, id, sku), 0),
        );
        expect(allocate(request).ok).toBe(enough);
      }),
      RUNS,
    );
  });

  it('with pins too, succeeds exactly when some allocation exists, and otherwise reports a real shortage', () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const result = allocate(request);
        expect(result.ok).toBe(servable(request));
        if (!result.ok) {
          const line = request.lines[result.failure.lineIndex];
          expect(result.failure.sku).toBe(line?.sku);
          expect(result.failure.requested).toBe(line?.quantity);
          expect(result.failure.available).toBeGreaterThanOrEqual(0);
          expect(result.failure.available).toBeLessThan(result.failure.requested);
        }
      }),
      RUNS,
    );
  });

  it('splits a line only when no allowed location had the whole of it besides what the other lines took there', () => {
    // When the line was allocated, a location L had at most available(L) − (what the other lines take at L)
    // for it: the lines allocated earlier took part of that. So if even that is short, L could not serve it.
    fc.assert(
      fc.property(requestArb(), (request) => {
        const plan = planOf(allocate(request));
        fc.pre(plan !== null);
        request.lines.forEach((line, index) => {
          const parts = plan?.steps.filter((s) => s.lines.some((l) => l.lineIndex === index)) ?? [];
          if (parts.length < 2 || !plan) return;
          const allowed = line.locationId ? [line.locationId] : activeIds(request);
          for (const id of allowed) {
            const spare = availableAt(request, id, line.sku) - takenAt(plan, id, line.sku, index);
            expect(spare, `line ${index} split although ${id} had ${spare}`).toBeLessThan(line.quantity);
          }
        });
      }),
      RUNS,
    );
  });

  it('never ships from more locations with fewest-shipments than with priority', () => {
    fc.assert(
      fc.property(requestArb({ strategy: 'fewest-shipments' }), (request) => {
        const fewest = planOf(allocate(request));
        const priority = planOf(allocate({ ...request, strategy: 'priority' }));
        fc.pre(fewest !== null && priority !== null);
        expect(fewest?.steps.length).toBeLessThanOrEqual(priority?.steps.length ?? 0);
      }),
      RUNS,
    );
  });

  it('ships from one location, the best-ranked able to serve the whole cart, whenever there is one', () => {
    fc.assert(
      fc.property(requestArb({ strategy: 'fewest-shipments' }), (request) => {
        const serveAll = (l: Location) =>
          l.active &&
          request.lines.every((line) => !line.locationId || line.locationId === l.locationId) &&
          SKUS.every(
            (sku) =>
              request.lines.filter((x) => x.sku === sku).reduce((sum, x) => sum + x.quantity, 0) <=
              availableAt(request, l.locationId, sku),
          );
        const best = request.locations
          .filter(serveAll)
          .sort((a, b) => a.priority - b.priority || (a.locationId < b.locationId ? -1 : 1))[0];
        fc.pre(best !== undefined);
        expect(planOf(allocate(request))?.steps.map((s) => s.locationId)).toEqual([best?.locationId]);
      }),
      RUNS,
    );
  });

  it("orders steps by the strategy's ranking and the lines of a step by line index", () => {
    fc.assert(
      fc.property(requestArb(), (request) => {
        const plan = planOf(allocate(request));
        fc.pre(plan !== null);
        const ranked = rankingOf(request);
        const positions = plan?.steps.map((s) => ranked.indexOf(s.locationId)) ?? [];
        expect(positions).not.toContain(-1);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        for (const step of plan?.steps ?? []) {
          const indexes = step.lines.map((l) => l.lineIndex);
          expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
        }
      }),
      RUNS,
    );
  });

  it('gives the same result for the same request, whatever the order of locations and stock', () => {
    fc.assert(
      fc.property(
        requestArb().chain((request) =>
          fc.record({
            request: fc.constant(request),
            locations: fc.shuffledSubarray([...request.locations], { minLength: request.locations.length }),
            stock: fc.shuffledSubarray([...request.stock], { minLength: request.stock.length }),
          }),
        ),
        ({ request, locations, stock }) => {
          const first = allocate(request);
          expect(allocate(request)).toEqual(first);
          expect(allocate({ ...request, locations, stock })).toEqual(first);
        },
      ),
      RUNS,
    );
  });
});
