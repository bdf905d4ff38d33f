import { afterEach, describe, expect, it } from 'vitest';
import { CART_SAGA_STATES } from '../../infra/constructs/cart-saga.js';
import type { TaskInterceptor } from '../../infra/local/step-functions.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import type { CartId, LocationId, PrincipalId, Sku } from '../../shared/kernel/identifiers.js';
import { parseCartId, parsePrincipalId } from '../../shared/kernel/identifiers.js';
import { createLocation } from '../../shared/locations/use-cases/locations.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { useTestApi } from '../api/support/api.js';
import { call, expectProblem, type Reply } from '../api/support/http.js';
import { type Actor, aBuyer } from '../api/support/world.js';
import { aLocationId, aPrincipal, aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * The cart saga end to end: real HTTP to the local runtime, the create route running the state machine that the
 * CDK stack synthesizes (executed by aws-local-stepfunctions, each Lambda task the function's own handler file),
 * against DynamoDB Local. Failures are injected around the tasks, as the Lambda service or a concurrent buyer
 * would cause them; the state machine's own Retry and Catch handle them.
 */
const api = useTestApi();
afterEach(() => api().stepFunctions.intercept(null));

let carts = 0;
const aCartId = (): CartId => parseCartId(`cart-${Date.now().toString(36)}-${carts++}`);

/** A warehouse ranked by `priority` (lower first) with `stock` units of each SKU given. */
async function aWarehouse(
  priority: number,
  stock: ReadonlyArray<readonly [Sku, number]>,
  coordinates?: { latitude: number; longitude: number },
): Promise<LocationId> {
  const locationId = aLocationId();
  await createLocation(api().deps, {
    locationId,
    name: `Warehouse ${locationId}`,
    region: 'eu-west-1',
    priority,
    ownerId: parsePrincipalId('vendor-1'),
    ...(coordinates ? { coordinates } : {}),
  });
  for (const [sku, quantity] of stock)
    await receiveStock(
      api().deps,
      { sku, locationId, quantity },
      { actor: WAREHOUSE_CLERK, reason: 'initial stock' },
    );
  return locationId;
}

/** Two SKUs, each at its own warehouse (A ranked first): line 0 is held at A, line 1 at B. */
async function twoWarehouses(stockA = 5, stockB = 5) {
  const [skuA, skuB] = [aSku(), aSku()];
  const a = await aWarehouse(1, [[skuA, stockA]]);
  const b = await aWarehouse(2, [[skuB, stockB]]);
  const lines = [
    { sku: skuA, quantity: 2 },
    { sku: skuB, quantity: 3 },
  ];
  return { skuA, skuB, a, b, lines, buyer: await aBuyer(api()) };
}

function reserve(buyer: Actor, cartId: CartId, body: Record<string, unknown>): Promise<Reply> {
  return call(api().url, 'POST', `/carts/${cartId}/reservations`, { token: buyer.token, json: body });
}

async function expectLevel(sku: Sku, locationId: LocationId, expected: Record<string, number>) {
  expect(await readLevel(api().deps, sku, locationId)).toMatchObject(expected);
  await expectLevelConsistent(api().deps, sku, locationId);
}

async function holdsOf(owner: PrincipalId, cartId: CartId) {
  const cart = await api().deps.carts.getCart(owner, cartId);
  return api().deps.carts.getReservations(cart?.holds.map((h) => h.reservationId) ?? []);
}

const isStep = (call: Parameters<TaskInterceptor>[0], cartId: CartId, stepIndex?: number) => {
  const payload = call.payload as { cartId?: string; stepIndex?: number };
  return (
    call.stateName === CART_SAGA_STATES.reserveWarehouse &&
    payload.cartId === cartId &&
    (stepIndex === undefined || payload.stepIndex === stepIndex)
  );
};

/** Before step `stepIndex` of the cart first runs, another buyer takes every unit it needs at its warehouse. */
function anotherBuyerTakesStockBefore(
  owner: PrincipalId,
  cartId: CartId,
  stepIndex: number,
): TaskInterceptor {
  let taken = false;
  return async (call, invoke) => {
    if (!taken && isStep(call, cartId, stepIndex)) {
      taken = true;
      const cart = await api().deps.carts.getCart(owner, cartId);
      const hold = cart?.holds.find((h) => h.stepIndex === stepIndex);
      if (!hold) throw new Error(`no step ${stepIndex}`);
      const { available } = await readLevel(api().deps, hold.sku, hold.locationId);
      await reserveStock(
        api().deps,
        { sku: hold.sku, locationId: hold.locationId, quantity: available },
        aPrincipal(),
      );
    }
    return invoke();
  };
}

const lambdaServiceError = () =>
  Object.assign(new Error('Rate exceeded'), { name: 'Lambda.ServiceException' });

describe('a cart reservation', () => {
  it('holds every line across two warehouses, each in its own step, and answers the HELD cart', async () => {
    // Prepare
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();

    // Act
    const reply = await reserve(buyer, cartId, { strategy: 'priority', lines, ttlSeconds: 600 });

    // Assess
    expect(reply.status, reply.text).toBe(201);
    expect(reply.headers.get('location')).toBe(`/carts/${cartId}`);
    expect(reply.body).toMatchObject({
      cartId,
      ownerId: buyer.sub,
      status: 'HELD',
      failure: null,
      holds: [
        { lineIndex: 0, sku: skuA, locationId: a, quantity: 2, status: 'HELD' },
        { lineIndex: 1, sku: skuB, locationId: b, quantity: 3, status: 'HELD' },
      ],
    });
    await expectLevel(skuA, a, { reserved: 2, available: 3 });
    await expectLevel(skuB, b, { reserved: 3, available: 2 });
  });

  it('is answered with the same cart when the same request is repeated, and holds nothing more', async () => {
    const { skuA, a, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    const first = await reserve(buyer, cartId, { strategy: 'priority', lines });

    const again = await reserve(buyer, cartId, { strategy: 'priority', lines });
    const other = await reserve(buyer, cartId, { strategy: 'priority', lines: lines.slice(0, 1) });

    expect(first.status, first.text).toBe(201);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expectProblem(other, 'already-exists');
    await expectLevel(skuA, a, { reserved: 2, version: 2 });
  });

  it('splits a line that no single warehouse can serve, and holds and releases it as a whole', async () => {
    // Prepare: 3 units at A and 3 at B; the line needs 5
    const sku = aSku();
    const a = await aWarehouse(1, [[sku, 3]]);
    const b = await aWarehouse(2, [[sku, 3]]);
    const buyer = await aBuyer(api());
    const cartId = aCartId();

    // Act
    const held = await reserve(buyer, cartId, { strategy: 'priority', lines: [{ sku, quantity: 5 }] });
    const levelsHeld = [await readLevel(api().deps, sku, a), await readLevel(api().deps, sku, b)];
    const released = await call(api().url, 'POST', `/carts/${cartId}/release`, { token: buyer.token });

    // Assess
    expect(held.status, held.text).toBe(201);
    expect(held.body.holds).toEqual([
      expect.objectContaining({ lineIndex: 0, locationId: a, quantity: 3, status: 'HELD' }),
      expect.objectContaining({ lineIndex: 0, locationId: b, quantity: 2, status: 'HELD' }),
    ]);
    expect(levelsHeld.map((l) => l.reserved)).toEqual([3, 2]);
    expect(released.status, released.text).toBe(200);
    expect(released.body).toMatchObject({
      status: 'RELEASED',
      holds: [{ status: 'RELEASED' }, { status: 'RELEASED' }],
    });
    await expectLevel(sku, a, { reserved: 0, available: 3 });
    await expectLevel(sku, b, { reserved: 0, available: 3 });
  });

  it('is refused before anything is held when no allocation can serve a line, naming the line', async () => {
    const { lines, buyer } = await twoWarehouses(5, 2);
    const cartId = aCartId();

    const reply = await reserve(buyer, cartId, { strategy: 'fewest-shipments', lines });
    const read = await call(api().url, 'GET', `/carts/${cartId}`, { token: buyer.token });

    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({ lineIndex: 1, requested: 3, available: 2, locationId: 'any' });
    expect(reply.body.detail).toMatch(
      /^line 1: 3 SKU-\S+ requested but only 2 available across the locations/,
    );
    expectProblem(read, 'not-found');
  });

  it('holds each line at the warehouse nearest the destination with the nearest strategy', async () => {
    // Prepare: Lisbon is preferred by priority, Berlin is nearer to Hamburg; both have enough
    const sku = aSku();
    const lisbon = await aWarehouse(1, [[sku, 5]], { latitude: 38.72, longitude: -9.14 });
    const berlin = await aWarehouse(2, [[sku, 5]], { latitude: 52.52, longitude: 13.405 });
    const buyer = await aBuyer(api());
    const hamburg = { latitude: 53.55, longitude: 9.99 };

    // Act
    const nearest = await reserve(buyer, aCartId(), {
      strategy: 'nearest',
      destination: hamburg,
      lines: [{ sku, quantity: 2 }],
    });
    const byPriority = await reserve(buyer, aCartId(), {
      strategy: 'priority',
      lines: [{ sku, quantity: 1 }],
    });

    // Assess
    expect(nearest.status, nearest.text).toBe(201);
    expect(nearest.body.holds).toEqual([expect.objectContaining({ locationId: berlin, quantity: 2 })]);
    expect(byPriority.body.holds).toEqual([expect.objectContaining({ locationId: lisbon, quantity: 1 })]);
  });

  it("holds a storefront's line to the per-hold limit, naming the line, and lets an admin past it", async () => {
    const sku = aSku();
    const a = await aWarehouse(1, [[sku, 500]]);
    const buyer = await aBuyer(api());
    const admin = { token: await api().token({ sub: aPrincipal('admin'), roles: ['admin'] }) };
    const lines = [
      { sku, quantity: 1 },
      { sku, quantity: api().config.maxHoldQuantity + 1 },
    ];

    const refused = await reserve(buyer, aCartId(), { strategy: 'priority', lines });
    const levelAfterRefusal = await readLevel(api().deps, sku, a);
    const admitted = await call(api().url, 'POST', `/carts/${aCartId()}/reservations`, {
      token: admin.token,
      json: { strategy: 'priority', lines },
    });

    expectProblem(refused, 'hold-quantity-exceeded');
    expect(refused.body).toMatchObject({
      field: 'lines[1].quantity',
      maxQuantity: api().config.maxHoldQuantity,
    });
    expect(levelAfterRefusal).toMatchObject({ reserved: 0, version: 1 });
    expect(admitted.status, admitted.text).toBe(201);
  });

  it('refuses the nearest strategy without a destination, naming the field', async () => {
    const { lines, buyer } = await twoWarehouses();

    const reply = await reserve(buyer, aCartId(), { strategy: 'nearest', lines });

    expectProblem(reply, 'validation-error');
    expect(reply.body.field).toBe('destination');
  });
});

describe('a cart saga that fails', () => {
  it('at its first warehouse holds nothing, never starts the next step, and names the line', async () => {
    // Prepare: between planning and step 0, another buyer takes A's units
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    const takeStock = anotherBuyerTakesStockBefore(buyer.sub, cartId, 0);
    const stepsRun: unknown[] = [];
    api().stepFunctions.intercept((call, invoke) => {
      if (isStep(call, cartId)) stepsRun.push((call.payload as { stepIndex?: number }).stepIndex);
      return takeStock(call, invoke);
    });
    const levelB = await readLevel(api().deps, skuB, b);

    // Act
    const reply = await reserve(buyer, cartId, { strategy: 'priority', lines });

    // Assess
    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({
      cartId,
      cartStatus: 'FAILED',
      lineIndex: 0,
      sku: skuA,
      locationId: a,
      requested: 2,
      available: 0,
    });
    expect((await holdsOf(buyer.sub, cartId)).map((h) => h.status)).toEqual([]);
    await expectLevel(skuA, a, { reserved: 5, available: 0 });
    // Step 1 never ran (MaxConcurrency 1: nothing is in flight once a step failed): B is untouched.
    expect(stepsRun).toEqual([0]);
    expect(await readLevel(api().deps, skuB, b)).toEqual(levelB);
  });

  it('at its last warehouse releases what the earlier steps held, and names the line', async () => {
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    api().stepFunctions.intercept(anotherBuyerTakesStockBefore(buyer.sub, cartId, 1));

    const reply = await reserve(buyer, cartId, { strategy: 'priority', lines });
    const read = await call(api().url, 'GET', `/carts/${cartId}`, { token: buyer.token });

    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({ lineIndex: 1, sku: skuB, locationId: b, available: 0 });
    expect(read.body).toMatchObject({
      status: 'FAILED',
      failure: { code: 'insufficient-stock', lineIndex: 1, locationId: b },
      holds: [
        { lineIndex: 0, status: 'RELEASED' },
        { lineIndex: 1, status: null },
      ],
    });
    await expectLevel(skuA, a, { reserved: 0, available: 5 });
    await expectLevel(skuB, b, { reserved: 5, available: 0 });
  });

  it('retries a compensation whose first attempt failed, and still leaves no hold behind', async () => {
    // Prepare: the last step is short, and the compensation's first invocation meets a Lambda service error
    const { skuA, a, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    const takeStock = anotherBuyerTakesStockBefore(buyer.sub, cartId, 1);
    let compensations = 0;
    api().stepFunctions.intercept(async (call, invoke) => {
      if (call.stateName !== CART_SAGA_STATES.compensate) return takeStock(call, invoke);
      compensations++;
      if (compensations === 1) throw lambdaServiceError();
      return invoke();
    });

    // Act
    const reply = await reserve(buyer, cartId, { strategy: 'priority', lines });

    // Assess
    expectProblem(reply, 'insufficient-stock');
    expect(compensations).toBe(2);
    expect((await holdsOf(buyer.sub, cartId)).map((h) => h.status)).toEqual(['RELEASED']);
    await expectLevel(skuA, a, { reserved: 0, available: 5 });
  });
});

describe('a cart saga that crashes', () => {
  it('holds once when a step crashed after its transaction and Step Functions retried it', async () => {
    // Prepare: step 0 applies its transaction, then its answer is lost (a Lambda service error)
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    let step0Runs = 0;
    api().stepFunctions.intercept(async (call, invoke) => {
      const result = await invoke();
      if (isStep(call, cartId, 0) && ++step0Runs === 1) throw lambdaServiceError();
      return result;
    });

    // Act
    const reply = await reserve(buyer, cartId, { strategy: 'priority', lines });

    // Assess
    expect(reply.status, reply.text).toBe(201);
    expect(step0Runs).toBe(2);
    await expectLevel(skuA, a, { reserved: 2, available: 3, version: 2 });
    await expectLevel(skuB, b, { reserved: 3, available: 2, version: 2 });
  });

  it('is finished by the same request again when its execution died half-way, holding each line once', async () => {
    // Prepare: the execution dies (an uncatchable runtime error) right after step 0 held its lines
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    api().stepFunctions.intercept(async (call, invoke) => {
      const result = await invoke();
      if (isStep(call, cartId, 0))
        throw Object.assign(new Error('the execution was stopped'), {
          name: 'States.Runtime',
          isRetryable: false,
          isCatchable: false,
        });
      return result;
    });
    const crashed = await reserve(buyer, cartId, { strategy: 'priority', lines });
    const halfway = await readLevel(api().deps, skuA, a);
    api().stepFunctions.intercept(null);

    // Act
    const retried = await reserve(buyer, cartId, { strategy: 'priority', lines });

    // Assess
    expectProblem(crashed, 'service-busy');
    expect(crashed.body).toMatchObject({ cartStatus: 'PENDING' });
    expect(halfway).toMatchObject({ reserved: 2 });
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body).toMatchObject({ status: 'HELD', holds: [{ status: 'HELD' }, { status: 'HELD' }] });
    await expectLevel(skuA, a, { reserved: 2, available: 3, version: 2 });
    await expectLevel(skuB, b, { reserved: 3, available: 2, version: 2 });
  });
});

describe('two carts racing for the last units', () => {
  it('end with one fully held and the other fully released', async () => {
    // Prepare: C has plenty and is held first; A and B have the last units, enough for one cart only
    const [skuC, skuA, skuB] = [aSku(), aSku(), aSku()];
    const c = await aWarehouse(1, [[skuC, 10]]);
    const a = await aWarehouse(2, [[skuA, 2]]);
    const b = await aWarehouse(3, [[skuB, 2]]);
    const lines = [
      { sku: skuC, quantity: 1 },
      { sku: skuA, quantity: 2 },
      { sku: skuB, quantity: 2 },
    ];
    const buyers = [await aBuyer(api()), await aBuyer(api())];
    const cartIds = [aCartId(), aCartId()];

    // Act
    const replies = await Promise.all(
      buyers.map((buyer, i) => reserve(buyer, cartIds[i] as CartId, { strategy: 'priority', lines })),
    );

    // Assess
    const winner = replies.findIndex((r) => r.status === 201);
    const loser = 1 - winner;
    expect(replies.map((r) => r.status).sort(), replies.map((r) => r.text).join('\n')).toEqual([201, 409]);
    expectProblem(replies[loser] as Reply, 'insufficient-stock');
    const loserHolds = await holdsOf((buyers[loser] as Actor).sub, cartIds[loser] as CartId);
    expect(loserHolds.filter((h) => h.status === 'HELD')).toEqual([]);
    await expectLevel(skuC, c, { reserved: 1, available: 9 });
    await expectLevel(skuA, a, { reserved: 2, available: 0 });
    await expectLevel(skuB, b, { reserved: 2, available: 0 });
  });
});

describe('a held cart over HTTP', () => {
  it('is confirmed as a whole, and a second confirm is a replay that changes nothing', async () => {
    const { skuA, skuB, a, b, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    await reserve(buyer, cartId, { strategy: 'priority', lines });

    const first = await call(api().url, 'POST', `/carts/${cartId}/confirm`, { token: buyer.token });
    const again = await call(api().url, 'POST', `/carts/${cartId}/confirm`, { token: buyer.token });

    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      status: 'CONFIRMED',
      holds: [{ status: 'CONFIRMED' }, { status: 'CONFIRMED' }],
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await expectLevel(skuA, a, { reserved: 0, committed: 2 });
    await expectLevel(skuB, b, { reserved: 0, committed: 3 });
  });

  it('cannot be released once confirmed', async () => {
    const { lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    await reserve(buyer, cartId, { strategy: 'priority', lines });
    await call(api().url, 'POST', `/carts/${cartId}/confirm`, { token: buyer.token });

    const reply = await call(api().url, 'POST', `/carts/${cartId}/release`, { token: buyer.token });

    expectProblem(reply, 'cart-state');
    expect(reply.body).toMatchObject({ cartId, cartStatus: 'CONFIRMED' });
  });

  it("is someone else's to nobody: another buyer and an admin get 404, and change nothing", async () => {
    const { skuA, a, lines, buyer } = await twoWarehouses();
    const cartId = aCartId();
    await reserve(buyer, cartId, { strategy: 'priority', lines });
    const other = await aBuyer(api(), 'other');
    const admin = { token: await api().token({ sub: aPrincipal('admin'), roles: ['admin'] }) };

    const replies = [
      await call(api().url, 'GET', `/carts/${cartId}`, { token: other.token }),
      await call(api().url, 'POST', `/carts/${cartId}/release`, { token: other.token }),
      await call(api().url, 'POST', `/carts/${cartId}/confirm`, { token: admin.token }),
    ];

    for (const reply of replies) expectProblem(reply, 'not-found');
    await expectLevel(skuA, a, { reserved: 2, committed: 0 });
  });
});
