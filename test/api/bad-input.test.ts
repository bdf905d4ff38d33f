import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocationId, ReservationId, Sku } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { useTestApi } from './support/api.js';
import {
  badCartId,
  badCartLines,
  badContentType,
  badCoordinates,
  badCount,
  badDelta,
  badIdempotencyKey,
  badJsonText,
  badLocationId,
  badMovementsQuery,
  badPolicyLimit,
  badQuantity,
  badReference,
  badReplenishmentsQuery,
  badReservationId,
  badSafetyStock,
  badSku,
  badStrategy,
  badText,
  badTtl,
  badVersion,
  notAnObject,
} from './support/bad-input.js';
import { call, expectClientProblem } from './support/http.js';
import {
  type Actor,
  aBuyer,
  aHold,
  aLevel,
  aNewLocation,
  anAdmin,
  anOpenReplenishment,
} from './support/world.js';

/**
 * Thousands of malformed requests, generated: every one must be answered with a 4xx problem, never a 5xx, and
 * none may change stock. Each request starts from a valid one and breaks one thing about it.
 */
const api = useTestApi();

interface World {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly otherLocation: LocationId;
  readonly holdId: ReservationId;
  /** An open replenishment request of the level. */
  readonly requestId: string;
  readonly admin: Actor;
  readonly buyer: Actor;
}

interface Template {
  readonly name: string;
  readonly method: string;
  readonly token: 'admin' | 'buyer';
  /** The path, from its parameters. */
  readonly path: (p: Record<string, string>) => string;
  readonly params: (w: World) => Record<string, string>;
  /** The generator of a bad value for each path parameter. */
  readonly badParams: Record<string, fc.Arbitrary<string>>;
  /** A valid body, and a bad-value generator per field; absent for routes without a body. */
  readonly body?: (w: World) => Record<string, unknown>;
  readonly badFields?: Record<string, fc.Arbitrary<unknown>>;
  readonly idempotent?: boolean;
  /** The generator of a bad query string, for routes that take one. */
  readonly query?: fc.Arbitrary<URLSearchParams>;
}

const LEVEL = (p: Record<string, string>) => `/skus/${p.sku}/locations/${p.locationId}`;
const levelParams = (w: World) => ({ sku: w.sku, locationId: w.locationId });
const levelBadParams = { sku: badSku, locationId: badLocationId };
const holdParams = (w: World) => ({ reservationId: w.holdId });
const holdBadParams = { reservationId: badReservationId };
const REQUEST = (p: Record<string, string>) => `${LEVEL(p)}/replenishments/${p.requestId}`;
const requestParams = (w: World) => ({ ...levelParams(w), requestId: w.requestId });
const requestBadParams = { ...levelBadParams, requestId: badReservationId };

const TEMPLATES: readonly Template[] = [
  {
    name: 'receive',
    method: 'POST',
    token: 'admin',
    path: (p) => `${LEVEL(p)}/receipts`,
    params: levelParams,
    badParams: levelBadParams,
    body: () => ({ quantity: 1 }),
    badFields: { quantity: badQuantity, reason: badText, reference: badReference },
    idempotent: true,
  },
  {
    name: 'adjust',
    method: 'POST',
    token: 'admin',
    path: (p) => `${LEVEL(p)}/adjustments`,
    params: levelParams,
    badParams: levelBadParams,
    body: () => ({ delta: -1, reason: 'write-off' }),
    badFields: { delta: badDelta, reason: badText, reference: badReference },
    idempotent: true,
  },
  {
    name: 'count',
    method: 'POST',
    token: 'admin',
    path: (p) => `${LEVEL(p)}/counts`,
    params: levelParams,
    badParams: levelBadParams,
    body: () => ({ onHand: 45, expectedVersion: 2 }),
    badFields: { onHand: badCount, expectedVersion: badVersion, reason: badText },
    idempotent: true,
  },
  ...(['blocks', 'unblocks'] as const).map(
    (verb): Template => ({
      name: verb,
      method: 'POST',
      token: 'admin',
      path: (p) => `${LEVEL(p)}/${verb}`,
      params: levelParams,
      badParams: levelBadParams,
      body: () => ({ quantity: 1 }),
      badFields: { quantity: badQuantity, reason: badText, reference: badReference },
      idempotent: true,
    }),
  ),
  {
    name: 'transfer',
    method: 'POST',
    token: 'admin',
    path: (p) => `/skus/${p.sku}/transfers`,
    params: (w) => ({ sku: w.sku }),
    badParams: { sku: badSku },
    body: (w) => ({ from: w.locationId, to: w.otherLocation, quantity: 1 }),
    badFields: { from: badLocationId, to: badLocationId, quantity: badQuantity, reason: badText },
    idempotent: true,
  },
  {
    name: 'replenishment policy',
    method: 'PATCH',
    token: 'admin',
    path: (p) => `${LEVEL(p)}/replenishment-policy`,
    params: levelParams,
    badParams: levelBadParams,
    body: () => ({ reorderPoint: 5, reorderQuantity: 20 }),
    badFields: {
      reorderPoint: badPolicyLimit,
      reorderQuantity: badPolicyLimit,
      safetyStock: badSafetyStock,
    },
  },
  {
    name: 'replenishments',
    method: 'GET',
    token: 'admin',
    path: () => '/replenishments',
    params: () => ({}),
    badParams: {},
    query: badReplenishmentsQuery,
  },
  {
    name: 'replenishment',
    method: 'GET',
    token: 'admin',
    path: REQUEST,
    params: requestParams,
    badParams: requestBadParams,
  },
  {
    name: 'receive against a request',
    method: 'POST',
    token: 'admin',
    path: (p) => `${REQUEST(p)}/receive`,
    params: requestParams,
    badParams: requestBadParams,
    body: () => ({ quantity: 1 }),
    badFields: { quantity: badQuantity, reason: badText },
    idempotent: true,
  },
  {
    name: 'cancel a request',
    method: 'POST',
    token: 'admin',
    path: (p) => `${REQUEST(p)}/cancel`,
    params: requestParams,
    badParams: requestBadParams,
    body: () => ({}),
    badFields: { reason: badText },
  },
  {
    name: 'reserve',
    method: 'POST',
    token: 'buyer',
    path: () => '/reservations',
    params: () => ({}),
    badParams: {},
    body: (w) => ({ sku: w.sku, locationId: w.locationId, quantity: 1 }),
    badFields: {
      sku: badSku,
      locationId: badLocationId,
      quantity: badQuantity,
      ttlSeconds: badTtl,
      reference: badText,
    },
    idempotent: true,
  },
  {
    name: 'extend',
    method: 'POST',
    token: 'buyer',
    path: (p) => `/reservations/${p.reservationId}/extend`,
    params: holdParams,
    badParams: holdBadParams,
    body: () => ({ ttlSeconds: 600 }),
    badFields: { ttlSeconds: badTtl },
  },
  ...(['release', 'confirm', 'fulfill', 'cancel'] as const).map(
    (verb): Template => ({
      name: verb,
      method: 'POST',
      token: 'buyer',
      path: (p) => `/reservations/${p.reservationId}/${verb}`,
      params: holdParams,
      badParams: holdBadParams,
      body: () => ({}),
      badFields: { reason: badText },
    }),
  ),
  {
    name: 'cart reservation',
    method: 'POST',
    token: 'buyer',
    path: (p) => `/carts/${p.cartId}/reservations`,
    params: () => ({ cartId: 'cart-bad-input' }),
    badParams: { cartId: badCartId },
    body: (w) => ({ strategy: 'priority', lines: [{ sku: w.sku, quantity: 1 }] }),
    badFields: {
      lines: badCartLines({ sku: 'SKU-1', quantity: 1 }),
      strategy: badStrategy,
      destination: badCoordinates,
      ttlSeconds: badTtl,
    },
  },
  ...(['', '/confirm', '/release'] as const).map(
    (verb): Template => ({
      name: `cart${verb}`,
      method: verb ? 'POST' : 'GET',
      token: 'buyer',
      path: (p) => `/carts/${p.cartId}${verb}`,
      params: () => ({ cartId: 'cart-bad-input' }),
      badParams: { cartId: badCartId },
    }),
  ),
  {
    name: 'batch availability',
    method: 'POST',
    token: 'buyer',
    path: () => '/availability/batch',
    params: () => ({}),
    badParams: {},
    body: (w) => ({ skus: [w.sku] }),
    badFields: {
      skus: fc.oneof(
        fc.constant([]),
        fc.array(fc.constant('SKU-1'), { minLength: 101, maxLength: 120 }),
        badSku.map((sku) => ['SKU-1', sku]),
        fc.constantFrom('SKU-1', null, 3, { sku: 'SKU-1' }),
      ),
    },
  },
  {
    name: 'update location',
    method: 'PATCH',
    token: 'admin',
    path: (p) => `/locations/${p.locationId}`,
    params: (w) => ({ locationId: w.locationId }),
    badParams: { locationId: badLocationId },
    body: () => ({ name: 'Renamed' }),
    badFields: {
      name: badText,
      region: fc.constantFrom('EU', '', 'a b', 'x'.repeat(40), 1),
      priority: fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 1001 }), fc.constant(1.5)),
      coordinates: fc.oneof(
        fc.record({ latitude: fc.double({ min: 90.001, max: 1e6, noNaN: true }), longitude: fc.constant(0) }),
        fc.record({ latitude: fc.constant(0), longitude: fc.constantFrom('east', null) }),
        fc.constantFrom([], 'here', 5),
      ),
      active: fc.constantFrom('false', 0, 1, null, 'yes'),
    },
  },
  {
    name: 'movements',
    method: 'GET',
    token: 'admin',
    path: (p) => `${LEVEL(p)}/movements`,
    params: levelParams,
    badParams: levelBadParams,
    query: badMovementsQuery,
  },
  {
    name: 'level',
    method: 'GET',
    token: 'admin',
    path: LEVEL,
    params: levelParams,
    badParams: levelBadParams,
  },
  {
    name: 'availability',
    method: 'GET',
    token: 'buyer',
    path: (p) => `/skus/${p.sku}/availability`,
    params: (w) => ({ sku: w.sku }),
    badParams: { sku: badSku },
  },
  {
    name: 'reservation',
    method: 'GET',
    token: 'buyer',
    path: (p) => `/reservations/${p.reservationId}`,
    params: holdParams,
    badParams: holdBadParams,
  },
];

/** A request as plain data (so that fast-check prints a counterexample readably). */
interface BadRequest {
  readonly route: string;
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly token: Template['token'];
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

interface Patch {
  readonly params?: Record<string, string>;
  readonly query?: URLSearchParams;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array;
}

type Mutation = (t: Template, w: World) => fc.Arbitrary<BadRequest> | null;

const json = { 'content-type': 'application/json' };
function request(t: Template, w: World, label: string, patch: Patch = {}): BadRequest {
  const query = patch.query ? `?${patch.query}` : '';
  return {
    route: t.name,
    label,
    method: t.method,
    path: `${t.path(patch.params ?? t.params(w))}${query}`,
    token: t.token,
    headers: patch.headers ?? (t.body ? json : {}),
    body: 'body' in patch ? patch.body : t.body ? JSON.stringify(t.body(w)) : undefined,
  };
}

const MUTATIONS: Record<string, Mutation> = {
  'a field with a bad value': (t, w) => {
    const fields = Object.entries(t.badFields ?? {});
    if (!t.body || fields.length === 0) return null;
    const body = t.body;
    return fc
      .constantFrom(...fields)
      .chain(([field, bad]) => bad.map((value) => [field, value] as const))
      .map(([field, value]) =>
        request(t, w, `${field}=${JSON.stringify(value)}`, {
          body: JSON.stringify({ ...body(w), [field]: value }),
        }),
      );
  },
  'an unknown field': (t, w) => {
    if (!t.body) return null;
    const body = t.body;
    const known = new Set([
      ...Object.keys(body(w)),
      ...Object.keys(t.badFields ?? {}),
      'expectedVersion',
      'ownerId',
    ]);
    return fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k) && k !== '__proto__'),
        fc.jsonValue(),
      )
      .map(([key, value]) =>
        request(t, w, `unknown ${key}`, { body: JSON.stringify({ ...body(w), [key]: value }) }),
      );
  },
  'a body that is not an object': (t, w) =>
    t.body
      ? notAnObject.map((value) =>
          request(t, w, `body ${JSON.stringify(value)}`, { body: JSON.stringify(value) }),
        )
      : null,
  'a body that is not JSON': (t, w) =>
    t.body ? badJsonText.map((text) => request(t, w, `text ${text}`, { body: text })) : null,
  'a wrong content type': (t, w) =>
    t.body
      ? fc.oneof(
          badContentType.map((type) =>
            request(t, w, `content-type ${type}`, { headers: { 'content-type': type } }),
          ),
          fc.constant(
            request(t, w, 'no content type', {
              headers: {},
              body: new TextEncoder().encode(JSON.stringify(t.body(w))),
            }),
          ),
        )
      : null,
  'an oversized body': (t, w) =>
    t.body
      ? fc
          .integer({ min: api().config.maxBodyBytes, max: api().config.maxBodyBytes * 4 })
          .map((n) =>
            request(t, w, `${n} bytes`, { body: JSON.stringify({ ...t.body?.(w), padding: 'x'.repeat(n) }) }),
          )
      : null,
  'a bad path parameter': (t, w) => {
    const params = Object.entries(t.badParams);
    if (params.length === 0) return null;
    return fc
      .constantFrom(...params)
      .chain(([name, bad]) => bad.map((value) => [name, value] as const))
      .map(([name, value]) =>
        request(t, w, `${name}=${JSON.stringify(value)}`, {
          params: { ...t.params(w), [name]: encodeURIComponent(value) },
        }),
      );
  },
  'a bad Idempotency-Key': (t, w) =>
    t.idempotent
      ? badIdempotencyKey.map((key) =>
          request(t, w, `key ${key}`, { headers: { ...json, 'idempotency-key': key } }),
        )
      : null,
  'a bad query string': (t, w) =>
    t.query ? t.query.map((query) => request(t, w, `?${query}`, { query })) : null,
};

let world: World;
beforeAll(async () => {
  const level = await aLevel(api(), 50);
  const otherLocation = await aNewLocation(api());
  const buyer = await aBuyer(api());
  world = {
    ...level,
    otherLocation,
    holdId: await aHold(api(), buyer.sub, level, 2),
    requestId: await anOpenReplenishment(api(), level),
    admin: await anAdmin(api()),
    buyer,
  };
});

function badRequests(): fc.Arbitrary<BadRequest> {
  const arbitraries: fc.Arbitrary<BadRequest>[] = [];
  for (const template of TEMPLATES) {
    for (const mutation of Object.values(MUTATIONS)) {
      const arbitrary = mutation(template, world);
      if (arbitrary) arbitraries.push(arbitrary);
    }
  }
  return fc.oneof(...arbitraries);
}

function send(bad: BadRequest, actors: Pick<World, 'admin' | 'buyer'> = world) {
  const token = bad.token === 'admin' ? actors.admin.token : actors.buyer.token;
  return call(api().url, bad.method, bad.path, { token, headers: bad.headers, raw: bad.body });
}

describe('malformed requests, generated', () => {
  it('answers each of thousands of malformed requests with a 4xx problem and changes no stock', async () => {
    // Prepare
    const levelBefore = await readLevel(api().deps, world.sku, world.locationId);
    const holdBefore = await api().deps.holds.getReservation(world.holdId);
    const requestBefore = await api().deps.replenishments.getReplenishment(
      world.sku,
      world.locationId,
      world.requestId,
    );
    const statuses = new Map<number, number>();

    // Act
    await fc.assert(
      fc.asyncProperty(badRequests(), async (bad) => {
        const reply = await send(bad);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        expectClientProblem(reply);
        // The callers are allowed every route: a 401 or 403 would be a refusal that says nothing of the input.
        expect([401, 403], `${bad.route} ${bad.label}: ${reply.text}`).not.toContain(reply.status);
      }),
      { numRuns: 3000 },
    );

    // Assess
    expect(await readLevel(api().deps, world.sku, world.locationId)).toEqual(levelBefore);
    expect(await api().deps.holds.getReservation(world.holdId)).toEqual(holdBefore);
    expect(requestBefore?.status).toBe('OPEN');
    expect(
      await api().deps.replenishments.getReplenishment(world.sku, world.locationId, world.requestId),
    ).toEqual(requestBefore);
    expect(await api().deps.levels.getLevel(world.sku, world.otherLocation)).toBeNull();
    await expectLevelConsistent(api().deps, world.sku, world.locationId);
    // The generators reach every kind of refusal, not just one.
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 413, 415]));
  });

  it('starts from requests that are valid: the same requests unbroken succeed', async () => {
    const level = await aLevel(api(), 10);
    const buyer = await aBuyer(api());
    const valid = {
      ...world,
      ...level,
      buyer,
      holdId: await aHold(api(), buyer.sub, level),
      requestId: await anOpenReplenishment(api(), level),
    };
    for (const template of TEMPLATES.filter((t) =>
      [
        'receive',
        'reserve',
        'extend',
        'level',
        'replenishment policy',
        'replenishments',
        'replenishment',
        'receive against a request',
        'cancel a request',
      ].includes(t.name),
    )) {
      const reply = await send(request(template, valid, 'valid'), valid);
      expect(reply.status, `${template.name}: ${reply.text}`).toBeLessThan(300);
    }
  });
});
