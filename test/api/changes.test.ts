import { describe, expect, it } from 'vitest';
import { changeFeedServices } from '../../infra/local/background-services.js';
import type { StreamEventSource } from '../../infra/local/stream-event-source.js';
import { encodeChangeCursor } from '../../shared/changes/domain/change-cursor.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { testDeps } from '../support/dynamo.js';
import { aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { type TestApi, useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aNewLocation, anAnalyst, aWarehouse } from './support/world.js';

/**
 * The change feed over HTTP on the local runtime, its writer (the stream consumer `npm start` runs) fed by the
 * file's table's stream.
 */
const api = useTestApi(
  {},
  { services: (table) => changeFeedServices({ dynamoEndpoint: table.endpoint, tableName: table.tableName }) },
);

interface WireChange {
  seq: number;
  sku: string;
  locationId: string;
  shard: number;
  version: number;
  movementId: string;
  type: string;
  delta: Record<string, number>;
  reason: string | null;
  reference: { type: string; id: string } | null;
  actor: string;
  level: Record<string, number>;
}

interface WirePage {
  changes: WireChange[];
  nextCursor: string;
  hasMore: boolean;
}

/** Waits until the feed's writer has appended every change made so far. */
async function settle(a: TestApi): Promise<void> {
  const [writer] = a.services as [StreamEventSource];
  await writer.drain();
}

async function page(a: TestApi, token: string, query: string): Promise<WirePage> {
  const reply = await call(a.url, 'GET', `/changes${query}`, { token });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as unknown as WirePage;
}

/** Pages from `after` to the end of the feed; the changes in order and the cursor to resume from. */
async function readToEnd(a: TestApi, token: string, after: string | null, limit = 7) {
  const changes: WireChange[] = [];
  let cursor = after;
  for (let i = 0; i < 1_000; i++) {
    const p = await page(a, token, `?limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
    changes.push(...p.changes);
    cursor = p.nextCursor;
    if (!p.hasMore) break;
  }
  return { changes, cursor: cursor as string };
}

async function receive(a: TestApi, token: string, sku: string, locationId: string, quantity: number) {
  const reply = await call(a.url, 'POST', `/skus/${sku}/locations/${locationId}/receipts`, {
    token,
    json: { quantity, reason: 'delivery', reference: { type: 'purchase-order', id: 'PO-7' } },
  });
  expect(reply.status, reply.text).toBe(200);
}

describe('GET /changes', () => {
  it("lists a level's receipt, hold and confirmation in order, each with its movement, actor and the level after it", async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const sku = aSku();
    const clerk = await aWarehouse(api(), [locationId]);
    const buyer = await aBuyer(api());
    const analyst = await anAnalyst(api());

    // Act
    await receive(api(), clerk.token, sku, locationId, 10);
    const hold = await call(api().url, 'POST', '/reservations', {
      token: buyer.token,
      json: { sku, locationId, quantity: 3 },
    });
    expect(hold.status, hold.text).toBe(201);
    const reservationId = String(hold.body.reservationId);
    const confirm = await call(api().url, 'POST', `/reservations/${reservationId}/confirm`, {
      token: buyer.token,
    });
    expect(confirm.status, confirm.text).toBe(200);
    await settle(api());
    const feed = await page(api(), analyst.token, `?sku=${sku}`);

    // Assess
    expect(feed.changes.map((c) => [c.type, c.version])).toEqual([
      ['RECEIVED', 1],
      ['RESERVED', 2],
      ['CONFIRMED', 3],
    ]);
    expect(feed.changes[0]).toMatchObject({
      sku,
      locationId,
      shard: 0,
      delta: { onHand: 10 },
      reason: 'delivery',
      reference: { type: 'purchase-order', id: 'PO-7' },
      actor: clerk.sub,
      level: { onHand: 10, reserved: 0, committed: 0, available: 10 },
    });
    expect(feed.changes[1]).toMatchObject({
      delta: { reserved: 3 },
      actor: buyer.sub,
      reservationId,
      level: { onHand: 10, reserved: 3, committed: 0, available: 7 },
    });
    expect(feed.changes[2]).toMatchObject({
      delta: { reserved: -3, committed: 3 },
      actor: buyer.sub,
      level: { onHand: 10, reserved: 0, committed: 3, available: 7 },
    });
    const seqs = feed.changes.map((c) => c.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it('pages to the end with no duplicate and no gap while writes go on, and a resumed reader then gets the rest exactly once', async () => {
    // Prepare: four levels, and a reader at the feed's current end
    const admin = await anAnalyst(api());
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const skus = [aSku(), aSku(), aSku(), aSku()];
    await settle(api());
    const start = await readToEnd(api(), admin.token, null);

    // Act: 40 receipts in parallel (10 per level) while the reader pages (7 at a time) as far as the feed goes
    const writes = Promise.all(
      skus.flatMap((sku) =>
        Array.from({ length: 10 }, () => receive(api(), clerk.token, sku, locationId, 1)),
      ),
    );
    const seen: WireChange[] = [];
    let cursor = start.cursor;
    let writing = true;
    void writes.finally(() => {
      writing = false;
    });
    while (writing) {
      const read = await readToEnd(api(), admin.token, cursor);
      seen.push(...read.changes);
      cursor = read.cursor;
      await new Promise((r) => setTimeout(r, 50));
    }
    await writes;
    await settle(api());
    const rest = await readToEnd(api(), admin.token, cursor);
    seen.push(...rest.changes);

    // Assess: positions run on from the start with no gap and no repeat; each level's 10 changes, versions 1..10
    const startSeq = start.changes.at(-1)?.seq ?? 0;
    expect(seen.map((c) => c.seq)).toEqual(Array.from({ length: seen.length }, (_, i) => startSeq + 1 + i));
    expect(new Set(seen.map((c) => c.movementId)).size).toBe(seen.length);
    for (const sku of skus) {
      const ofLevel = seen.filter((c) => c.sku === sku);
      expect(ofLevel.map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(ofLevel.at(-1)?.level).toMatchObject({ onHand: 10, available: 10 });
    }
    expect(seen.filter((c) => (skus as string[]).includes(c.sku))).toHaveLength(40);
  });

  it('gives a reader that paged to the end a change that committed later under a smaller movement id', async () => {
    // Prepare: a change now (its movement id from now), read to the end of the feed
    const analyst = await anAnalyst(api());
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const early = aSku();
    const late = aSku();
    await receive(api(), clerk.token, early, locationId, 5);
    await settle(api());
    const read = await readToEnd(api(), analyst.token, null);
    const newest = read.changes.at(-1) as WireChange;
    expect(newest.sku).toBe(early);

    // Act: a change whose movement id was taken a minute earlier (a slow writer) commits only now
    const slowWriter = testDeps(api().table, undefined, new ManualClock(Date.now() - 60_000));
    await receiveStock(slowWriter, { sku: late, locationId, quantity: 2 }, { actor: WAREHOUSE_CLERK });
    await settle(api());
    const resumed = await readToEnd(api(), analyst.token, read.cursor);

    // Assess: it is after the cursor, although its movement id sorts before the one the reader saw last, so a
    // feed ordered by movement id would have put it behind the cursor, never to be seen
    expect(resumed.changes.map((c) => c.sku)).toEqual([late]);
    const lateChange = resumed.changes[0] as WireChange;
    expect(lateChange.movementId < newest.movementId).toBe(true);
    expect(lateChange.seq).toBe(newest.seq + 1);
  });

  it('answers the same changes again from any cursor it returned', async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const sku = aSku();
    for (let i = 0; i < 6; i++) await receive(api(), clerk.token, sku, locationId, 1);
    await settle(api());
    const first = await page(api(), analyst.token, `?sku=${sku}&limit=2`);
    const second = await page(api(), analyst.token, `?sku=${sku}&limit=2&after=${first.nextCursor}`);

    // Act
    const again = await page(api(), analyst.token, `?sku=${sku}&limit=2&after=${first.nextCursor}`);

    // Assess
    expect(again.changes).toEqual(second.changes);
    expect(again.nextCursor).toBe(second.nextCursor);
    expect(second.changes.map((c) => c.version)).toEqual([3, 4]);
  });

  it("filters by location: an auditor's who changed what, when, at one site", async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const here = await aNewLocation(api());
    const there = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [here, there]);
    const sku = aSku();
    await receive(api(), clerk.token, sku, here, 4);
    await receive(api(), clerk.token, sku, there, 6);
    await settle(api());

    // Act
    const feed = await readToEnd(api(), analyst.token, null, 100);
    const filtered = await page(api(), analyst.token, `?locationId=${there}`);

    // Assess
    expect(feed.changes.filter((c) => c.locationId === there)).toHaveLength(1);
    expect(filtered.changes).toEqual([expect.objectContaining({ sku, locationId: there, actor: clerk.sub })]);
  });

  it.each([
    ['not base64url', 'abc!'],
    ['not JSON', 'bm90LWpzb24'],
    ['a negative position', Buffer.from(JSON.stringify({ v: 1, seq: -1 })).toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, seq: 1 })).toString('base64url')],
    ['a movement cursor', Buffer.from(JSON.stringify({ 0: null })).toString('base64url')],
  ])('refuses a cursor that is %s with 400 naming after', async (_, after) => {
    // Prepare
    const analyst = await anAnalyst(api());

    // Act
    const reply = await call(api().url, 'GET', `/changes?after=${encodeURIComponent(after)}`, {
      token: analyst.token,
    });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'after' });
  });

  it('refuses a well-formed cursor beyond the end of the feed with 400 naming after, rather than skip what comes', async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const beyond = encodeChangeCursor(1_000_000);

    // Act
    const reply = await call(api().url, 'GET', `/changes?after=${beyond}`, { token: analyst.token });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'after' });
  });

  it('refuses a writer: an analyst may not receive stock', async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const locationId = await aNewLocation(api());

    // Act
    const reply = await call(api().url, 'POST', `/skus/${aSku()}/locations/${locationId}/receipts`, {
      token: analyst.token,
      json: { quantity: 1 },
    });

    // Assess
    expectProblem(reply, 'forbidden');
  });
});
