import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { LiveView } from '../../shared/live/domain/live-view.js';
import { LOCATION_SNAPSHOT_PAGE, type ServerMessage } from '../../shared/live/domain/messages.js';
import { call } from '../api/support/http.js';
import { aLocation, aLocationId, aPrincipal, aSku, aStockedLevel } from '../support/fixtures.js';
import type { LiveClient } from '../support/live-client.js';
import { useLiveRuntime } from '../support/live-runtime.js';

/** The whole-location topic (`location:{locationId}`) through the local runtime's WebSocket stand-in. */
const { deps, liveStore, runtime, tokenFor, connect } = useLiveRuntime();

const storefront = () => connect({ sub: `shop-${randomUUID()}`, roles: ['storefront'] });
const warehouse = (...locations: LocationId[]) =>
  connect({ sub: `clerk-${randomUUID()}`, roles: ['warehouse'], locations });
const admin = () => connect({ sub: `admin-${randomUUID()}`, roles: ['admin'] });

const deltasOf = (client: LiveClient, topic: string) =>
  client.all().filter((m) => m.type === 'delta' && m.topic === topic);

async function receive(sku: Sku, locationId: LocationId, quantity: number) {
  const reply = await call(runtime().url, 'POST', `/skus/${sku}/locations/${locationId}/receipts`, {
    token: await tokenFor({ sub: 'admin-1', roles: ['admin'] }),
    json: { quantity },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(reply.status, reply.text).toBe(200);
}

async function reserve(sku: Sku, locationId: LocationId, quantity: number) {
  const reply = await call(runtime().url, 'POST', '/reservations', {
    token: await tokenFor({ sub: aPrincipal(), roles: ['storefront'] }),
    json: { sku, locationId, quantity },
  });
  expect(reply.status, reply.text).toBe(201);
}

/** Two SKUs at a location, and one of them also at another location (their events drained before any subscribe). */
async function twoLocations() {
  const here = await aLocation(deps);
  const there = await aLocation(deps);
  const shirt = aSku();
  const socks = aSku();
  await aStockedLevel(deps, 10, shirt, here);
  await aStockedLevel(deps, 4, socks, here);
  await aStockedLevel(deps, 6, shirt, there);
  await runtime().events?.drain();
  return { here, there, shirt, socks };
}

describe('subscribing to a whole location', () => {
  it('answers a warehouse scoped to the location with a snapshot of its every level, every bucket, by SKU', async () => {
    // Prepare
    const { here, shirt, socks } = await twoLocations();
    const clerk = await warehouse(here);

    // Act
    const answer = await clerk.request({ action: 'subscribe', topic: `location:${here}` });

    // Assess
    expect(answer).toMatchObject({
      type: 'snapshot',
      topic: `location:${here}`,
      locationId: here,
      more: false,
    });
    const levels = (answer as { levels?: unknown[] }).levels;
    expect(levels).toHaveLength(2);
    expect(levels).toContainEqual({
      sku: shirt,
      level: {
        onHand: 10,
        reserved: 0,
        committed: 0,
        unavailable: 0,
        safetyStock: 0,
        incoming: 0,
        available: 10,
        version: 1,
      },
    });
    expect(levels).toContainEqual(
      expect.objectContaining({ sku: socks, level: expect.objectContaining({ onHand: 4 }) }),
    );
  });

  it(`sends a location of more than ${LOCATION_SNAPSHOT_PAGE} levels as several snapshot pages, every level once`, async () => {
    // Prepare
    const here = await aLocation(deps);
    const count = LOCATION_SNAPSHOT_PAGE + 3;
    const skus = Array.from({ length: count }, () => aSku());
    for (let i = 0; i < count; i += 20)
      await Promise.all(skus.slice(i, i + 20).map((sku) => aStockedLevel(deps, 1, sku, here)));
    const client = await admin();

    // Act
    const first = await client.request({ action: 'subscribe', topic: `location:${here}`, id: 'pages' });
    const second = await client.next((m) => m.type === 'snapshot' && m.topic === `location:${here}`);

    // Assess
    const pages = [first, second] as unknown as { levels: { sku: string }[]; more: boolean }[];
    expect(pages.map((p) => [p.levels.length, p.more])).toEqual([
      [LOCATION_SNAPSHOT_PAGE, true],
      [3, false],
    ]);
    expect(pages.flatMap((p) => p.levels.map((l) => l.sku)).sort()).toEqual([...skus].sort());
  }, 120_000);

  it.each([
    ['a storefront', () => storefront(), /warehouse and admin/],
    ['a warehouse scoped to another location', () => warehouse(aLocationId()), /may not see location/],
  ])('refuses %s as it refuses a level there: forbidden, naming the topic, nothing subscribed', async (_, who, why) => {
    // Prepare
    const { here, shirt } = await twoLocations();
    const client = await who();

    // Act
    const location = await client.request({ action: 'subscribe', topic: `location:${here}` });
    const level = await client.request({ action: 'subscribe', sku: shirt, locationId: here });

    // Assess
    expect(location).toMatchObject({ type: 'error', code: 'forbidden', topic: `location:${here}` });
    expect((location as { message: string }).message).toMatch(why);
    expect(level).toMatchObject({ type: 'error', code: 'forbidden', topic: `level:${shirt}@${here}` });
    expect(await liveStore.subscribersOf(`location:${here}`)).toEqual([]);
  });

  it.each([
    [{ topic: 'location:' }],
    [{ topic: 'location:not a location' }],
    [{ topic: 'warehouse:WH-1' }],
    [{ topic: 'level:ONLY-A-SKU' }],
    [{ topic: 42 }],
    [{ topic: 'location:WH-1', sku: 'A' }],
  ])('refuses the topic of %j naming the field, and subscribes nothing', async (fields) => {
    // Prepare
    const client = await admin();

    // Act
    const answer = await client.request({ action: 'subscribe', ...fields });

    // Assess
    expect(answer).toMatchObject({ type: 'error', code: 'bad-request', field: 'topic' });
    expect(await liveStore.subscribersOf('location:WH-1')).toEqual([]);
  });

  it('refuses a location that does not exist, and keeps no subscription to it', async () => {
    // Prepare
    const nowhere = aLocationId();
    const client = await admin();

    // Act
    const answer = await client.request({ action: 'subscribe', topic: `location:${nowhere}` });

    // Assess
    expect(answer).toMatchObject({ type: 'error', code: 'unknown-location', topic: `location:${nowhere}` });
    expect(await liveStore.subscribersOf(`location:${nowhere}`)).toEqual([]);
  });
});

describe("a whole location's deltas", () => {
  it('pushes the changes of two SKUs at the location as level deltas, and none from another location', async () => {
    // Prepare
    const { here, there, shirt, socks } = await twoLocations();
    const clerk = await warehouse(here);
    const view = new LiveView();
    view.apply(await clerk.request({ action: 'subscribe', topic: `location:${here}` }));
    const elsewhere = await admin();
    await elsewhere.request({ action: 'subscribe', topic: `location:${there}` });

    // Act: the same SKU changes at the other location, then both SKUs here
    await receive(shirt, there, 1);
    await reserve(shirt, here, 3);
    await receive(socks, here, 2);
    await expect.poll(() => deltasOf(clerk, `location:${here}`).length, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => deltasOf(elsewhere, `location:${there}`).length, { timeout: 20_000 }).toBe(1);
    await runtime().events?.drain();

    // Assess
    const deltas = deltasOf(clerk, `location:${here}`);
    expect(deltas).toContainEqual({
      type: 'delta',
      topic: `location:${here}`,
      sku: shirt,
      locationId: here,
      level: {
        onHand: 10,
        reserved: 3,
        committed: 0,
        unavailable: 0,
        safetyStock: 0,
        incoming: 0,
        available: 7,
        version: 2,
      },
    });
    expect(deltas).toContainEqual(
      expect.objectContaining({
        sku: socks,
        locationId: here,
        level: expect.objectContaining({ onHand: 6, version: 2 }),
      }),
    );
    expect(
      clerk.all().filter((m: ServerMessage) => (m as { locationId?: string }).locationId === there),
    ).toEqual([]);
    expect(deltasOf(elsewhere, `location:${there}`)).toEqual([
      expect.objectContaining({
        sku: shirt,
        locationId: there,
        level: expect.objectContaining({ onHand: 7 }),
      }),
    ]);
    for (const delta of deltas) view.apply(delta);
    expect(view.get(`location:${here}`, shirt)).toMatchObject({ available: 7, version: 2 });
    expect(view.get(`location:${here}`, socks)).toMatchObject({ available: 6, version: 2 });
  });

  it('stops pushing to a client that unsubscribed from the location', async () => {
    // Prepare
    const { here, shirt } = await twoLocations();
    const clerk = await warehouse(here);
    await clerk.request({ action: 'subscribe', topic: `location:${here}` });
    const witness = await admin();
    await witness.request({ action: 'subscribe', sku: shirt, locationId: here });

    // Act
    const answer = await clerk.request({ action: 'unsubscribe', topic: `location:${here}` });
    await receive(shirt, here, 1);
    await witness.next((m) => m.type === 'delta');
    await runtime().events?.drain();

    // Assess
    expect(answer).toMatchObject({ type: 'unsubscribed', topic: `location:${here}` });
    expect(deltasOf(clerk, `location:${here}`)).toEqual([]);
    expect(await liveStore.subscribersOf(`location:${here}`)).toEqual([]);
  });
});
