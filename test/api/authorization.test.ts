import { describe, expect, it } from 'vitest';
import type { LocationId, PrincipalId, Sku } from '../../shared/kernel/identifiers.js';
import type { RouteDefinition } from '../../shared/platform/http/route.js';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { blockStock } from '../../shared/stock/use-cases/stock-operations.js';
import { aLocationId, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { type TestApi, useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import {
  aBuyer,
  aCartId,
  aConfirmedHold,
  aHeldCart,
  aHold,
  aLevel,
  aNewLocation,
  anAdmin,
  anAnalyst,
  anOpenReplenishment,
  aWarehouse,
} from './support/world.js';

/**
 * The authorization matrix, generated from the route table: every route × every kind of caller × the caller's
 * own or someone else's resource. The expected answer follows from the route's roles and scope alone.
 */
const api = useTestApi();

const PERSPECTIVES = [
  'anonymous',
  'admin',
  'warehouse in scope',
  'warehouse out of scope',
  'storefront owner',
  'storefront other',
  'analyst',
] as const;
type Perspective = (typeof PERSPECTIVES)[number];
type Expected = 'allowed' | 401 | 403 | 404;

function expected(route: RouteDefinition, who: Perspective): Expected {
  if (route.auth === 'none') return 'allowed';
  if (who === 'anonymous') return 401;
  // A cart id is in its caller's own namespace: not even an admin addresses someone else's cart.
  if (who === 'admin') return route.scope === 'own-cart' ? 404 : 'allowed';
  // An analyst reads aggregates and the change feed, and nothing else; it never writes.
  if (who === 'analyst') return route.roles.includes('analyst') ? 'allowed' : 403;
  const role = who.startsWith('warehouse') ? 'warehouse' : 'storefront';
  if (!route.roles.includes(role)) return 403;
  if (who === 'warehouse in scope' || who === 'storefront owner' || route.scope === 'none') return 'allowed';
  return route.scope === 'location' ? 403 : 404;
}

interface Level {
  readonly sku: Sku;
  readonly locationId: LocationId;
}

interface Prepared {
  readonly method: string;
  readonly path: string;
  readonly json?: unknown;
  /** The level the request would change, to check that a refusal changed nothing. */
  readonly level?: Level;
  /** The locations a warehouse in scope is given. */
  readonly scope: readonly LocationId[];
}

type Scenario = (api: TestApi, owner: PrincipalId) => Promise<Prepared>;

const onLevel =
  (
    suffix: string,
    method: string,
    json: unknown,
    before?: (api: TestApi, level: Level) => Promise<unknown>,
  ): Scenario =>
  async (api) => {
    const level = await aLevel(api, 10);
    await before?.(api, level);
    return {
      method,
      path: `/skus/${level.sku}/locations/${level.locationId}${suffix}`,
      json,
      level,
      scope: [level.locationId],
    };
  };

const onHold =
  (verb: string, method: string, state: 'held' | 'confirmed', json?: unknown): Scenario =>
  async (api, owner) => {
    const level = await aLevel(api, 10);
    const id = state === 'held' ? await aHold(api, owner, level) : await aConfirmedHold(api, owner, level);
    return { method, path: `/reservations/${id}${verb}`, json, level, scope: [level.locationId] };
  };

const onReplenishment =
  (verb: string, method: string, json?: unknown): Scenario =>
  async (api) => {
    const level = await aLevel(api, 10);
    const requestId = await anOpenReplenishment(api, level);
    return {
      method,
      path: `/skus/${level.sku}/locations/${level.locationId}/replenishments/${requestId}${verb}`,
      json,
      level,
      scope: [level.locationId],
    };
  };

const onCart =
  (verb: string, method: string): Scenario =>
  async (api, owner) => {
    const level = await aLevel(api, 10);
    const cartId = await aHeldCart(api, owner, level);
    return { method, path: `/carts/${cartId}${verb}`, level, scope: [level.locationId] };
  };

const SCENARIOS: Record<string, Scenario> = {
  getOpenApi: async () => ({ method: 'GET', path: '/openapi.json', scope: [] }),
  readAvailability: async (api) => {
    const level = await aLevel(api, 3);
    return { method: 'GET', path: `/skus/${level.sku}/availability`, scope: [level.locationId] };
  },
  readAvailabilityBatch: async (api) => {
    const level = await aLevel(api, 3);
    return {
      method: 'POST',
      path: '/availability/batch',
      json: { skus: [level.sku] },
      scope: [level.locationId],
    };
  },
  applyStockBatch: async (api) => {
    const level = await aLevel(api, 10);
    const rows = [{ op: 'receipt', ...level, quantity: 1 }];
    const json = { policy: 'all-or-nothing', rows };
    return { method: 'POST', path: '/stock/batch', json, level, scope: [level.locationId] };
  },
  readLevel: onLevel('', 'GET', undefined),
  listMovements: onLevel('/movements', 'GET', undefined),
  receiveStock: onLevel('/receipts', 'POST', { quantity: 1 }),
  adjustStock: onLevel('/adjustments', 'POST', { delta: -1, reason: 'write-off' }),
  countStock: onLevel('/counts', 'POST', { onHand: 9, expectedVersion: 1 }),
  shardLevel: onLevel('/shards', 'POST', { shards: 2 }),
  blockStock: onLevel('/blocks', 'POST', { quantity: 1 }),
  unblockStock: onLevel('/unblocks', 'POST', { quantity: 1 }, (api, level) =>
    blockStock(api.deps, { ...level, quantity: 2, direction: 'block' }, { actor: WAREHOUSE_CLERK }),
  ),
  transferStock: async (api) => {
    const level = await aLevel(api, 10);
    const to = await aNewLocation(api);
    return {
      method: 'POST',
      path: `/skus/${level.sku}/transfers`,
      json: { from: level.locationId, to, quantity: 1 },
      level,
      scope: [level.locationId, to],
    };
  },
  setReplenishmentPolicy: onLevel('/replenishment-policy', 'PATCH', { reorderPoint: 5, reorderQuantity: 10 }),
  listReplenishments: async (api) => {
    const level = await aLevel(api, 10);
    await anOpenReplenishment(api, level);
    return {
      method: 'GET',
      path: `/replenishments?locationId=${level.locationId}`,
      scope: [level.locationId],
    };
  },
  getReplenishment: onReplenishment('', 'GET'),
  receiveReplenishment: onReplenishment('/receive', 'POST', { quantity: 1 }),
  cancelReplenishment: onReplenishment('/cancel', 'POST'),
  reserveStock: async (api) => {
    const level = await aLevel(api, 10);
    return {
      method: 'POST',
      path: '/reservations',
      json: { ...level, quantity: 1 },
      level,
      scope: [level.locationId],
    };
  },
  getReservation: onHold('', 'GET', 'held'),
  extendReservation: onHold('/extend', 'POST', 'held', { ttlSeconds: 600 }),
  releaseReservation: onHold('/release', 'POST', 'held'),
  confirmReservation: onHold('/confirm', 'POST', 'held'),
  fulfillReservation: onHold('/fulfill', 'POST', 'confirmed'),
  cancelReservation: onHold('/cancel', 'POST', 'confirmed'),
  reserveCart: async (api) => {
    const level = await aLevel(api, 10);
    return {
      method: 'POST',
      path: `/carts/${aCartId()}/reservations`,
      json: { strategy: 'priority', lines: [{ sku: level.sku, quantity: 1 }] },
      level,
      scope: [level.locationId],
    };
  },
  getCart: onCart('', 'GET'),
  confirmCart: onCart('/confirm', 'POST'),
  releaseCart: onCart('/release', 'POST'),
  listLocations: async () => ({ method: 'GET', path: '/locations', scope: [] }),
  getLocation: async (api) => {
    const locationId = await aNewLocation(api);
    return { method: 'GET', path: `/locations/${locationId}`, scope: [locationId] };
  },
  createLocation: async () => ({
    method: 'POST',
    path: '/locations',
    json: { locationId: aLocationId(), name: 'New site', region: 'eu-west-1' },
    scope: [],
  }),
  // The listings: a caller lists its own (a storefront other sees its own, empty, list); a warehouse outside the
  // location is refused; its low-stock report covers only its own locations.
  listLocationLevels: async (api) => {
    const level = await aLevel(api, 10);
    return { method: 'GET', path: `/locations/${level.locationId}/levels`, scope: [level.locationId] };
  },
  listSkus: async (api) => {
    const level = await aLevel(api, 3);
    return { method: 'GET', path: `/skus?skuPrefix=${level.sku}`, scope: [level.locationId] };
  },
  listReservations: async (api, owner) => {
    const level = await aLevel(api, 10);
    await aHold(api, owner, level);
    return { method: 'GET', path: '/reservations?status=HELD', scope: [level.locationId] };
  },
  listCarts: async (api, owner) => {
    const level = await aLevel(api, 10);
    await aHeldCart(api, owner, level);
    return { method: 'GET', path: '/carts', scope: [level.locationId] };
  },
  reportLowStock: async (api) => {
    const level = await aLevel(api, 10);
    return { method: 'GET', path: '/reports/low-stock', scope: [level.locationId] };
  },
  updateLocation: async (api) => {
    const locationId = await aNewLocation(api);
    return {
      method: 'PATCH',
      path: `/locations/${locationId}`,
      json: { name: 'Renamed' },
      scope: [locationId],
    };
  },
  listChanges: async () => ({ method: 'GET', path: '/changes?limit=5', scope: [] }),
  readLocationAnalytics: async (api) => {
    const locationId = await aNewLocation(api);
    return {
      method: 'GET',
      path: `/analytics/locations/${locationId}?from=2026-01-01T00:00:00Z&to=2026-01-01T03:00:00Z`,
      scope: [locationId],
    };
  },
  readRegionAnalytics: async (api) => {
    const locationId = await aNewLocation(api);
    return {
      method: 'GET',
      path: '/analytics/regions/eu-west-1?from=2026-01-01T00:00:00Z&to=2026-01-01T03:00:00Z',
      scope: [locationId],
    };
  },
};

async function tokenFor(api: TestApi, who: Perspective, owner: PrincipalId, scope: readonly LocationId[]) {
  switch (who) {
    case 'anonymous':
      return undefined;
    case 'admin':
      return (await anAdmin(api)).token;
    case 'warehouse in scope':
      return (await aWarehouse(api, scope)).token;
    case 'warehouse out of scope':
      return (await aWarehouse(api, [aLocationId()])).token;
    case 'storefront owner':
      return api.token({ sub: owner, roles: ['storefront'] });
    case 'storefront other':
      return (await aBuyer(api, 'other')).token;
    case 'analyst':
      return (await anAnalyst(api)).token;
  }
}

describe('the route table', () => {
  it('has a scenario for every route, and no scenario for a route it lacks', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(ROUTE_TABLE.map((r) => r.operationId).sort());
  });
});

describe.each(
  ROUTE_TABLE.map((route) => [`${route.method} ${route.path}`, route] as const),
)('%s', (_, route) => {
  it.each(
    PERSPECTIVES.map((who) => [who, expected(route, who)] as const),
  )('as %s: %s', async (who, outcome) => {
    // Prepare
    const scenario = SCENARIOS[route.operationId];
    if (!scenario) throw new Error(`no scenario for ${route.operationId}`);
    const owner = (await aBuyer(api(), 'owner')).sub;
    const request = await scenario(api(), owner);
    const before = request.level
      ? await readLevel(api().deps, request.level.sku, request.level.locationId)
      : null;
    const token = await tokenFor(api(), who, owner, request.scope);

    // Act
    const reply = await call(api().url, request.method, request.path, { token, json: request.json });

    // Assess
    if (outcome === 'allowed') {
      expect(reply.status, reply.text).toBe(route.success.status);
      return;
    }
    expectProblem(reply, outcome === 401 ? 'unauthorized' : outcome === 403 ? 'forbidden' : 'not-found');
    if (request.level && before) {
      expect(await readLevel(api().deps, request.level.sku, request.level.locationId)).toEqual(before);
    }
  });
});
