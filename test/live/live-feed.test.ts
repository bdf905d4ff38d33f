import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { backgroundServices } from '../../infra/local/background-services.js';
import { newDevSigningKey } from '../../infra/local/dev-keys.js';
import { type DevTokenClaims, signDevToken } from '../../infra/local/dev-tokens.js';
import type { ScheduledFunction } from '../../infra/local/scheduled-function.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { LiveView } from '../../shared/live/domain/live-view.js';
import type { ServerMessage } from '../../shared/live/domain/messages.js';
import { connectionKey, subscriptionKey } from '../../shared/live/store/requests/live-records.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { call } from '../api/support/http.js';
import { testDeps } from '../support/dynamo.js';
import { aLocation, aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { HandshakeRefused, LiveClient } from '../support/live-client.js';
import { useLiveRuntime } from '../support/live-runtime.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MAX_SUBSCRIPTIONS = 3;
const MAX_CONNECTIONS = 2;

let sweeper: ScheduledFunction;
const { table, deps, liveStore, runtime, liveUrl, tokenFor, connect } = useLiveRuntime({
  services: ({ endpoint, tableName }) => {
    const services = backgroundServices({
      dynamoEndpoint: endpoint,
      tableName,
      sweepEveryMs: DAY,
      recoverCartsEveryMs: DAY,
    });
    sweeper = services[0] as ScheduledFunction;
    return services;
  },
  settings: {
    LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(MAX_SUBSCRIPTIONS),
    LIVE_MAX_CONNECTIONS_PER_CALLER: String(MAX_CONNECTIONS),
  },
});

const storefront = (name = 'shop') => connect({ sub: `${name}-${randomUUID()}`, roles: ['storefront'] });
const warehouse = (...locations: LocationId[]) =>
  connect({ sub: `clerk-${randomUUID()}`, roles: ['warehouse'], locations });
const adminToken = () => tokenFor({ sub: 'admin-1', roles: ['admin'] });

const isDelta = (topic: string) => (m: ServerMessage) => m.type === 'delta' && m.topic === topic;

/** A level with stock at a new location, made directly in the table (its events come before any subscription). */
async function aLevel(onHand: number, sku?: Sku): Promise<{ sku: Sku; locationId: LocationId }> {
  const level = await aStockedLevel(deps, onHand, sku);
  await runtime().events?.drain();
  return level;
}

async function reserve(sku: Sku, locationId: LocationId, quantity: number, token: string) {
  const reply = await call(runtime().url, 'POST', '/reservations', {
    token,
    json: { sku, locationId, quantity },
  });
  expect(reply.status, reply.text).toBe(201);
  return reply.body as { reservationId: string };
}

async function receive(sku: Sku, locationId: LocationId, quantity: number) {
  const reply = await call(runtime().url, 'POST', `/skus/${sku}/locations/${locationId}/receipts`, {
    token: await adminToken(),
    json: { quantity },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(reply.status, reply.text).toBe(200);
}

describe('connecting to the live feed', () => {
  it('refuses a connection without a token (401)', async () => {
    await expect(LiveClient.connect(liveUrl(), null)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token signed by another key (401)', async () => {
    const stranger = await signDevToken(await newDevSigningKey(), { sub: 'x', roles: ['admin'] });
    await expect(LiveClient.connect(liveUrl(), stranger)).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses an expired token (401)', async () => {
    const expired = await tokenFor({ sub: 'x', roles: ['admin'] }, Math.floor(Date.now() / 1000) - 60);
    await expect(LiveClient.connect(liveUrl(), expired)).rejects.toBeInstanceOf(HandshakeRefused);
    await expect(LiveClient.connect(liveUrl(), expired)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a garbled token (401)', async () => {
    await expect(LiveClient.connect(liveUrl(), 'not.a.jwt')).rejects.toMatchObject({
      status: 401,
    });
  });

  it(`refuses a caller's connection beyond ${MAX_CONNECTIONS} (429), and takes one again once one closes`, async () => {
    // Prepare
    const claims: DevTokenClaims = { sub: `busy-${randomUUID()}`, roles: ['storefront'] };
    const first = await connect(claims);
    await connect(claims);

    // Act
    const refused = LiveClient.connect(liveUrl(), await tokenFor(claims));

    // Assess
    await expect(refused).rejects.toMatchObject({ status: 429 });
    await first.close();
    await expect
      .poll(async () => {
        try {
          await connect(claims);
          return 'connected';
        } catch (error) {
          return String((error as HandshakeRefused).status);
        }
      })
      .toBe('connected');
  });
});

describe('subscribing', () => {
  it("answers a storefront's SKU subscription with a snapshot of available per location, in total, with versions", async () => {
    // Prepare
    const { sku, locationId } = await aLevel(7);
    const other = await aLocation(deps);
    await aStockedLevel(deps, 5, sku, other);
    const client = await storefront();

    // Act
    const answer = await client.request({ action: 'subscribe', sku });

    // Assess
    expect(answer).toMatchObject({ type: 'snapshot', topic: `sku:${sku}`, sku, available: 12 });
    const locations = (answer as unknown as { locations: unknown[] }).locations;
    expect(locations).toHaveLength(2);
    expect(locations).toContainEqual({ locationId, available: 7, version: 1 });
    expect(locations).toContainEqual({ locationId: other, available: 5, version: 1 });
    expect(JSON.stringify(answer)).not.toMatch(/onHand|committed|reserved/);
  });

  it("answers a warehouse's level subscription at its location with every bucket and the version", async () => {
    // Prepare
    const { sku, locationId } = await aLevel(4);
    const client = await warehouse(locationId);

    // Act
    const answer = await client.request({ action: 'subscribe', sku, locationId });

    // Assess
    expect(answer).toMatchObject({
      type: 'snapshot',
      topic: `level:${sku}@${locationId}`,
      level: { onHand: 4, reserved: 0, committed: 0, unavailable: 0, available: 4, version: 1 },
    });
  });

  it.each([
    ['a warehouse, a level outside its locations', 'warehouse', true],
    ['a storefront, a level', 'storefront', true],
    ['a warehouse, a SKU', 'warehouse', false],
  ] as const)('refuses %s, with a forbidden error naming the topic', async (_, role, level) => {
    // Prepare
    const { sku, locationId } = await aLevel(1);
    const client = role === 'warehouse' ? await warehouse(await aLocation(deps)) : await storefront();

    // Act
    const answer = await client.request({ action: 'subscribe', sku, ...(level ? { locationId } : {}) });

    // Assess
    expect(answer).toMatchObject({
      type: 'error',
      code: 'forbidden',
      topic: level ? `level:${sku}@${locationId}` : `sku:${sku}`,
    });
  });

  it('answers a malformed message with an error naming the field, and an unknown action with the actions', async () => {
    const client = await storefront();
    expect(await client.request({ action: 'subscribe', sku: 'bad sku!' })).toMatchObject({
      type: 'error',
      code: 'bad-request',
      field: 'sku',
    });
    client.send({ action: 'dance' });
    expect(await client.next((m) => m.type === 'error')).toMatchObject({
      code: 'unknown-action',
      field: 'action',
    });
    expect(
      await client.request({ action: 'subscribe', sku: `NOPE-${randomUUID().slice(0, 8)}` }),
    ).toMatchObject({
      code: 'unknown-sku',
    });
  });

  it(`refuses a subscription beyond ${MAX_SUBSCRIPTIONS} per connection, and accepts one after an unsubscribe`, async () => {
    // Prepare
    const skus = await Promise.all(Array.from({ length: MAX_SUBSCRIPTIONS + 1 }, () => aLevel(1)));
    const client = await storefront();
    for (const { sku } of skus.slice(0, MAX_SUBSCRIPTIONS))
      expect((await client.request({ action: 'subscribe', sku })).type).toBe('snapshot');
    const last = skus[MAX_SUBSCRIPTIONS]?.sku;

    // Act
    const refused = await client.request({ action: 'subscribe', sku: last });
    const unsubscribed = await client.request({ action: 'unsubscribe', sku: skus[0]?.sku });
    const accepted = await client.request({ action: 'subscribe', sku: last });

    // Assess
    expect(refused).toMatchObject({ type: 'error', code: 'too-many-subscriptions' });
    expect(unsubscribed).toMatchObject({ type: 'unsubscribed', topic: `sku:${skus[0]?.sku}` });
    expect(accepted).toMatchObject({ type: 'snapshot', sku: last });
  });

  it('answers a ping with a pong', async () => {
    const client = await storefront();
    expect(await client.request({ action: 'ping' })).toMatchObject({ type: 'pong' });
  });
});

describe('deltas', () => {
  it('pushes a reserve and its release to the SKU and level subscribers, and nothing to the others', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(10);
    const elsewhere = await aLevel(10);
    const buyer = await storefront();
    const clerk = await warehouse(locationId, elsewhere.locationId);
    const bystander = await storefront();
    await buyer.request({ action: 'subscribe', sku });
    await clerk.request({ action: 'subscribe', sku, locationId });
    await bystander.request({ action: 'subscribe', sku: elsewhere.sku });
    const buyerToken = await tokenFor({ sub: aPrincipal(), roles: ['storefront'] });

    // Act
    const { reservationId } = await reserve(sku, locationId, 3, buyerToken);
    const afterReserve = await buyer.next(isDelta(`sku:${sku}`));
    const levelAfterReserve = await clerk.next(isDelta(`level:${sku}@${locationId}`));
    const release = await call(runtime().url, 'POST', `/reservations/${reservationId}/release`, {
      token: buyerToken,
      json: {},
    });
    expect(release.status, release.text).toBe(200);
    const afterRelease = await buyer.next(isDelta(`sku:${sku}`));
    const levelAfterRelease = await clerk.next(isDelta(`level:${sku}@${locationId}`));
    // A change on the bystander's SKU: once its delta is there, any delta of the first SKU would be too.
    await reserve(elsewhere.sku, elsewhere.locationId, 1, buyerToken);
    await bystander.next(isDelta(`sku:${elsewhere.sku}`));

    // Assess
    expect(afterReserve).toEqual({
      type: 'delta',
      topic: `sku:${sku}`,
      sku,
      locationId,
      available: 7,
      version: 2,
    });
    expect(levelAfterReserve).toMatchObject({ level: { onHand: 10, reserved: 3, available: 7, version: 2 } });
    expect(afterRelease).toMatchObject({ available: 10, version: 3 });
    expect(levelAfterRelease).toMatchObject({ level: { reserved: 0, available: 10, version: 3 } });
    expect(bystander.all().filter((m) => (m as { topic?: string }).topic === `sku:${sku}`)).toEqual([]);
    expect(JSON.stringify(buyer.all())).not.toMatch(/onHand|committed|reserved/);
    expect(JSON.stringify(bystander.all())).not.toMatch(/onHand|committed|reserved/);
  });

  it('pushes a receipt, and keeps a warehouse from the levels outside its locations', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(2);
    const other = await aLocation(deps);
    await aStockedLevel(deps, 2, sku, other);
    await runtime().events?.drain();
    const clerk = await warehouse(locationId);
    const admin = await connect({ sub: 'admin-live', roles: ['admin'] });
    await clerk.request({ action: 'subscribe', sku, locationId });
    await admin.request({ action: 'subscribe', sku, locationId: other });

    // Act
    await receive(sku, other, 5);
    const adminDelta = await admin.next(isDelta(`level:${sku}@${other}`));
    await receive(sku, locationId, 1);
    const clerkDelta = await clerk.next(isDelta(`level:${sku}@${locationId}`));

    // Assess
    expect(adminDelta).toMatchObject({ locationId: other, level: { onHand: 7, available: 7, version: 2 } });
    expect(clerkDelta).toMatchObject({ locationId, level: { onHand: 3, available: 3, version: 2 } });
    expect(clerk.all().filter((m) => (m as { locationId?: string }).locationId === other)).toEqual([]);
  });

  it('pushes the expiry of a hold by the sweeper', async () => {
    // Prepare: a hold made ten minutes ago for one minute
    const { sku, locationId } = await aLevel(5);
    const past = testDeps(table, undefined, new ManualClock(Date.now() - 10 * MINUTE));
    await reserveStock(past, { sku, locationId, quantity: 2, ttlSeconds: 60 }, aPrincipal());
    await runtime().events?.drain();
    const buyer = await storefront();
    const snapshot = await buyer.request({ action: 'subscribe', sku });
    expect(snapshot).toMatchObject({ available: 3 });

    // Act
    await sweeper.runOnce();

    // Assess
    expect(await buyer.next(isDelta(`sku:${sku}`))).toMatchObject({ available: 5, version: 3 });
  });

  it('pushes the holds of a cart', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(6);
    const buyer = await storefront();
    await buyer.request({ action: 'subscribe', sku });

    // Act
    const reply = await call(runtime().url, 'POST', `/carts/cart-${randomUUID().slice(0, 8)}/reservations`, {
      token: await tokenFor({ sub: aPrincipal(), roles: ['storefront'] }),
      json: { lines: [{ sku, quantity: 4, locationId }], strategy: 'priority' },
    });

    // Assess
    expect(reply.status, reply.text).toBe(201);
    expect(await buyer.next(isDelta(`sku:${sku}`), 90_000)).toMatchObject({ locationId, available: 2 });
  }, 150_000);
});

describe('convergence', () => {
  it('repeats the truth when the same event is delivered twice or late, and the client view stays right', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(8);
    const buyer = await storefront();
    const view = new LiveView();
    view.apply(await buyer.request({ action: 'subscribe', sku }));
    const buyerToken = await tokenFor({ sub: aPrincipal(), roles: ['storefront'] });
    await reserve(sku, locationId, 1, buyerToken);
    const first = await buyer.next(isDelta(`sku:${sku}`));
    view.apply(first);
    const bus = runtime().events?.bus();
    const created = bus
      ?.history({ detailType: 'ReservationCreated' })
      .find((e) => (e.detail as { sku?: string }).sku === sku);
    await reserve(sku, locationId, 2, buyerToken);
    view.apply(await buyer.next(isDelta(`sku:${sku}`)));

    // Act: the first reserve's event, delivered again after the second reserve (twice)
    await bus?.publish([created as never, created as never]);
    const repeated = [await buyer.next(isDelta(`sku:${sku}`)), await buyer.next(isDelta(`sku:${sku}`))];
    for (const message of [...repeated, first]) view.apply(message);

    // Assess
    const truth = await readLevel(deps, sku, locationId);
    expect(repeated).toEqual([
      expect.objectContaining({ available: truth.available, version: truth.version }),
      expect.objectContaining({ available: truth.available, version: truth.version }),
    ]);
    expect(view.get(`sku:${sku}`, locationId)).toEqual({ available: 5, version: truth.version });
    expect(truth.available).toBe(5);
  });

  it('forgets a connection that was dropped without $disconnect when a post finds it gone (410)', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(3);
    const before = new Set(runtime().live?.connectionIds());
    const client = await storefront();
    const connectionId =
      runtime()
        .live?.connectionIds()
        .find((id) => !before.has(id)) ?? '';
    await client.request({ action: 'subscribe', sku });
    expect(await liveStore.subscribersOf(`sku:${sku}`)).toEqual([connectionId]);
    runtime().live?.dropWithoutDisconnect(connectionId);

    // Act
    await receive(sku, locationId, 1);

    // Assess: the fan-out drops the subscription, then the connection (read, not closed here, so as not to race it)
    await expect.poll(() => liveStore.subscribersOf(`sku:${sku}`), { timeout: 20_000 }).toEqual([]);
    const connectionRecord = async () =>
      (
        await table.client.send(
          new GetCommand({
            TableName: table.tableName,
            Key: connectionKey(connectionId),
            ConsistentRead: true,
          }),
        )
      ).Item ?? null;
    await expect.poll(connectionRecord, { timeout: 20_000 }).toBeNull();
    expect(await liveStore.closeConnection(connectionId)).toBeNull();
  });

  it('forgets a subscription whose connection record is gone when a post to it answers 410', async () => {
    // Prepare: a subscription left behind by a connection nothing else remembers
    const { sku, locationId } = await aLevel(3);
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...subscriptionKey(`sku:${sku}`, 'ghost123456='),
          kind: 'LiveSubscription',
          connectionId: 'ghost123456=',
        },
      }),
    );
    expect(await liveStore.subscribersOf(`sku:${sku}`)).toEqual(['ghost123456=']);

    // Act
    await receive(sku, locationId, 1);

    // Assess
    await expect.poll(() => liveStore.subscribersOf(`sku:${sku}`), { timeout: 20_000 }).toEqual([]);
  });

  it('brings a client that reconnects and subscribes again up to the truth after changes made while it was away', async () => {
    // Prepare
    const { sku, locationId } = await aLevel(9);
    const first = await storefront();
    const view = new LiveView();
    view.apply(await first.request({ action: 'subscribe', sku }));
    await first.close();
    const buyerToken = await tokenFor({ sub: aPrincipal(), roles: ['storefront'] });
    await reserve(sku, locationId, 4, buyerToken);
    await receive(sku, locationId, 2);
    await runtime().events?.drain();

    // Act
    const again = await storefront();
    view.apply(await again.request({ action: 'subscribe', sku }));

    // Assess
    const truth = await readLevel(deps, sku, locationId);
    expect(truth).toMatchObject({ available: 7, version: 3 });
    expect(view.get(`sku:${sku}`, locationId)).toEqual({ available: 7, version: 3 });
    expect(view.total(`sku:${sku}`)).toBe(7);
  });
});
