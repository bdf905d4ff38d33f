import { describe, expect, it } from 'vitest';
import { aKey, aLocationId } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import {
  AVAILABLE_AFTER_RESERVE,
  aLevelWithPolicy,
  distinctEventIds,
  drain,
  feed,
  replenishments,
  reserveAcrossTheReorderPoint,
  STORY,
} from './support/replenishment-story.js';
import { aBuyer, aLevel, anAdmin, aWarehouse } from './support/world.js';

/**
 * Replenishment end to end over HTTP, on the local runtime with its event pipeline (the stream of the run's
 * DynamoDB Local → the enrichment → the in-process bus → the replenishment consumer), every batch delivered once.
 */
const api = useTestApi({}, { events: { intervalMs: 200 } });

describe('a reserve that crosses the reorder point', () => {
  it('gives exactly one StockLow on GET /events and one open request on GET /replenishments, with incoming raised', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());

    // Act
    await reserveAcrossTheReorderPoint(api(), story);

    // Assess
    const stockLows = await feed(api(), story.admin, { 'detail-type': 'StockLow', sku: story.sku });
    expect(stockLows).toHaveLength(1);
    expect(stockLows[0]?.detail).toMatchObject({
      locationId: story.locationId,
      available: AVAILABLE_AFTER_RESERVE,
      reorderPoint: STORY.reorderPoint,
      reorderQuantity: STORY.reorderQuantity,
    });
    const { reply, requests } = await replenishments(api(), story.admin, {
      sku: story.sku,
      locationId: story.locationId,
    });
    expect(reply.status, reply.text).toBe(200);
    expect(requests).toEqual([
      expect.objectContaining({
        status: 'OPEN',
        quantity: STORY.reorderQuantity,
        outstanding: STORY.reorderQuantity,
        trigger: expect.objectContaining({ available: AVAILABLE_AFTER_RESERVE }),
      }),
    ]);
    const requested = await feed(api(), story.admin, {
      'detail-type': 'ReplenishmentRequested',
      sku: story.sku,
    });
    expect(requested.map((e) => e.detail.requestId)).toEqual([requests[0]?.requestId]);
    const level = await call(api().url, 'GET', story.levelPath, { token: story.clerk.token });
    expect(level.body).toMatchObject({
      available: AVAILABLE_AFTER_RESERVE,
      incoming: STORY.reorderQuantity,
      reorderPoint: STORY.reorderPoint,
      reorderQuantity: STORY.reorderQuantity,
    });
    await expectLevelConsistent(api().deps, story.sku, story.locationId);
  });

  it('gives no second StockLow and no second request while the level stays low', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const buyer = await aBuyer(api());

    // Act
    const again = await call(api().url, 'POST', '/reservations', {
      token: buyer.token,
      json: { sku: story.sku, locationId: story.locationId, quantity: 1 },
    });
    await drain(api());

    // Assess
    expect(again.status, again.text).toBe(201);
    expect(await feed(api(), story.admin, { 'detail-type': 'StockLow', sku: story.sku })).toHaveLength(1);
    const { requests } = await replenishments(api(), story.admin, {
      sku: story.sku,
      locationId: story.locationId,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('receiving against a request', () => {
  it('closes it, moves incoming to on-hand, and answers a retry with the same Idempotency-Key as the first', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const { requests } = await replenishments(api(), story.clerk, { locationId: story.locationId });
    const requestId = requests[0]?.requestId;
    const path = `${story.levelPath}/replenishments/${requestId}/receive`;
    const headers = { 'Idempotency-Key': aKey() };
    const json = { quantity: STORY.reorderQuantity, reason: 'PO delivered' };

    // Act
    const receipt = await call(api().url, 'POST', path, { token: story.clerk.token, json, headers });
    const retry = await call(api().url, 'POST', path, { token: story.clerk.token, json, headers });
    await drain(api());

    // Assess
    expect(receipt.status, receipt.text).toBe(200);
    expect(receipt.body).toMatchObject({
      request: { requestId, status: 'RECEIVED', receivedQuantity: STORY.reorderQuantity, outstanding: 0 },
      level: {
        onHand: STORY.onHand + STORY.reorderQuantity,
        incoming: 0,
        available: AVAILABLE_AFTER_RESERVE + STORY.reorderQuantity,
      },
    });
    expect(retry.status, retry.text).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.movementIds).toEqual(receipt.body.movementIds);
    const open = await replenishments(api(), story.clerk, { sku: story.sku, locationId: story.locationId });
    const closed = await replenishments(api(), story.clerk, {
      sku: story.sku,
      locationId: story.locationId,
      state: 'CLOSED',
    });
    expect(open.requests).toEqual([]);
    expect(closed.requests.map((r) => [r.requestId, r.status])).toEqual([[requestId, 'RECEIVED']]);
    const level = await call(api().url, 'GET', story.levelPath, { token: story.clerk.token });
    expect(level.body).toMatchObject({ onHand: STORY.onHand + STORY.reorderQuantity, incoming: 0 });
    const received = await feed(api(), story.admin, { 'detail-type': 'StockReceived', sku: story.sku });
    expect(received.at(-1)?.detail).toMatchObject({
      quantity: STORY.reorderQuantity,
      delta: { onHand: STORY.reorderQuantity, incoming: -STORY.reorderQuantity },
      reference: { type: 'replenishment', id: requestId },
    });
    await expectLevelConsistent(api().deps, story.sku, story.locationId);
  });

  it('refuses a receipt against a closed request (422) or an unknown one (404), changing nothing', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const { requests } = await replenishments(api(), story.admin, { locationId: story.locationId });
    const base = `${story.levelPath}/replenishments`;
    const json = { quantity: STORY.reorderQuantity };
    await call(api().url, 'POST', `${base}/${requests[0]?.requestId}/receive`, {
      token: story.clerk.token,
      json,
    });
    const before = await call(api().url, 'GET', story.levelPath, { token: story.clerk.token });

    // Act
    const closed = await call(api().url, 'POST', `${base}/${requests[0]?.requestId}/receive`, {
      token: story.clerk.token,
      json,
    });
    const unknown = await call(api().url, 'POST', `${base}/${'0'.repeat(26)}/receive`, {
      token: story.clerk.token,
      json,
    });

    // Assess
    expectProblem(closed, 'business-rule');
    expect(closed.body.rule).toBe('replenishment-closed');
    expectProblem(unknown, 'not-found');
    expect((await call(api().url, 'GET', story.levelPath, { token: story.clerk.token })).body).toEqual(
      before.body,
    );
  });
});

describe('cancelling a request', () => {
  it('closes it as CANCELLED, takes what it expected out of incoming, and answers a second cancel as it is', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const { requests } = await replenishments(api(), story.admin, { locationId: story.locationId });
    const path = `${story.levelPath}/replenishments/${requests[0]?.requestId}/cancel`;

    // Act
    const cancel = await call(api().url, 'POST', path, {
      token: story.clerk.token,
      json: { reason: 'supplier out' },
    });
    const again = await call(api().url, 'POST', path, { token: story.clerk.token });

    // Assess
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'CANCELLED', outstanding: 0 });
    expect(again.status, again.text).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const level = await call(api().url, 'GET', story.levelPath, { token: story.clerk.token });
    expect(level.body).toMatchObject({ incoming: 0, onHand: STORY.onHand });
    await expectLevelConsistent(api().deps, story.sku, story.locationId);
  });
});

describe('who sees which requests', () => {
  it('shows a warehouse only the requests of its locations, and refuses it the others (403)', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const { requests } = await replenishments(api(), story.admin, { locationId: story.locationId });
    const requestId = requests[0]?.requestId;
    const elsewhere = await aWarehouse(api(), [aLocationId()]);
    const base = `${story.levelPath}/replenishments/${requestId}`;

    // Act
    const mine = await replenishments(api(), story.clerk, { limit: '100' });
    const theirs = await replenishments(api(), elsewhere, { limit: '100' });
    const named = await replenishments(api(), elsewhere, { locationId: story.locationId });
    const get = await call(api().url, 'GET', base, { token: elsewhere.token });
    const receive = await call(api().url, 'POST', `${base}/receive`, {
      token: elsewhere.token,
      json: { quantity: 1 },
    });
    const cancel = await call(api().url, 'POST', `${base}/cancel`, { token: elsewhere.token });
    const policy = await call(api().url, 'PATCH', `${story.levelPath}/replenishment-policy`, {
      token: elsewhere.token,
      json: { reorderPoint: 1 },
    });
    const buyer = await aBuyer(api());
    const asBuyer = await replenishments(api(), buyer, {});
    const byLocation = await replenishments(api(), story.admin, {
      locationId: story.locationId,
      limit: '100',
    });

    // Assess
    expect(mine.requests.map((r) => r.requestId)).toContain(requestId);
    expect(new Set(mine.requests.map((r) => r.locationId))).toEqual(new Set([story.locationId]));
    expect(theirs.reply.status, theirs.reply.text).toBe(200);
    expect(theirs.requests).toEqual([]);
    for (const refused of [named.reply, get, receive, cancel, policy]) expectProblem(refused, 'forbidden');
    expectProblem(asBuyer.reply, 'forbidden');
    expect(byLocation.requests.map((r) => r.requestId)).toContain(requestId);
    expect(new Set(byLocation.requests.map((r) => r.locationId))).toEqual(new Set([story.locationId]));
    const after = await replenishments(api(), story.admin, { sku: story.sku, locationId: story.locationId });
    expect(after.requests).toEqual([expect.objectContaining({ requestId, status: 'OPEN' })]);
  });
});

describe('bad input to the replenishment routes', () => {
  it('answers each with a 400 problem naming the field, and changes nothing', async () => {
    // Prepare
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());
    const path = `/skus/${level.sku}/locations/${level.locationId}`;
    const before = await call(api().url, 'GET', path, { token: admin.token });
    const cases = [
      {
        method: 'PATCH',
        to: `${path}/replenishment-policy`,
        json: { reorderPoint: 0 },
        field: 'reorderPoint',
      },
      {
        method: 'PATCH',
        to: `${path}/replenishment-policy`,
        json: { reorderPoint: null, reorderQuantity: 5 },
        field: 'reorderQuantity',
      },
      {
        method: 'PATCH',
        to: `${path}/replenishment-policy`,
        json: { reorderQuantity: 5 },
        field: 'reorderQuantity',
      },
      {
        method: 'PATCH',
        to: `${path}/replenishment-policy`,
        json: { safetyStock: -1 },
        field: 'safetyStock',
      },
      { method: 'PATCH', to: `${path}/replenishment-policy`, json: {}, field: 'body' },
      {
        method: 'PATCH',
        to: `${path}/replenishment-policy`,
        json: { reorderPoint: 3, max: 9 },
        field: 'max',
      },
      { method: 'GET', to: `/replenishments?sku=${level.sku}`, field: 'sku' },
      { method: 'GET', to: '/replenishments?state=RECEIVED', field: 'state' },
      { method: 'GET', to: '/replenishments?limit=0', field: 'limit' },
      { method: 'GET', to: `${path}/replenishments/not-a-request-id`, field: 'requestId' },
      {
        method: 'POST',
        to: `${path}/replenishments/${'0'.repeat(26)}/receive`,
        json: { quantity: 0 },
        field: 'quantity',
      },
    ];

    // Act
    const replies = [];
    for (const c of cases)
      replies.push(await call(api().url, c.method, c.to, { token: admin.token, json: c.json }));

    // Assess
    replies.forEach((reply, i) => {
      expectProblem(reply, 'validation-error');
      expect(reply.body.field, `${cases[i]?.method} ${cases[i]?.to}`).toBe(cases[i]?.field);
    });
    expect((await call(api().url, 'GET', path, { token: admin.token })).body).toEqual(before.body);
  });

  it('refuses a safety stock above what is available (409), changing nothing', async () => {
    // Prepare
    const onHand = 5;
    const level = await aLevel(api(), onHand);
    const admin = await anAdmin(api());
    const path = `/skus/${level.sku}/locations/${level.locationId}`;

    // Act
    const reply = await call(api().url, 'PATCH', `${path}/replenishment-policy`, {
      token: admin.token,
      json: { safetyStock: onHand + 1 },
    });

    // Assess
    expectProblem(reply, 'insufficient-stock');
    expect((await call(api().url, 'GET', path, { token: admin.token })).body).toMatchObject({
      safetyStock: 0,
      available: onHand,
    });
  });
});

describe('GET /events', () => {
  it('is for admins only: 401 without a token, 403 for a warehouse, 405 for another method', async () => {
    // Prepare
    const clerk = await aWarehouse(api(), [aLocationId()]);
    const admin = await anAdmin(api());

    // Act
    const anonymous = await call(api().url, 'GET', '/events');
    const warehouse = await call(api().url, 'GET', '/events', { token: clerk.token });
    const post = await call(api().url, 'POST', '/events', { token: admin.token, json: {} });

    // Assess
    expectProblem(anonymous, 'unauthorized');
    expectProblem(warehouse, 'forbidden');
    expectProblem(post, 'method-not-allowed');
  });

  it('refuses bad filters with a 400 problem naming the filter', async () => {
    // Prepare
    const admin = await anAdmin(api());
    const cases = [
      ['detail-type=StockHigh', 'detail-type'],
      ['sku=a%23b', 'sku'],
      ['since=yesterday', 'since'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['after=nope', 'after'],
      ['colour=red', 'colour'],
    ] as const;

    // Act
    const replies = [];
    for (const [query] of cases)
      replies.push(await call(api().url, 'GET', `/events?${query}`, { token: admin.token }));

    // Assess
    replies.forEach((reply, i) => {
      expectProblem(reply, 'validation-error');
      expect(reply.body.field, cases[i]?.[0]).toBe(cases[i]?.[1]);
    });
  });

  it('filters by detail-type, sku, since and limit, oldest first, and polls for what is new after an event', async () => {
    // Prepare: two receipts at one level, one at another
    const story = await aLevelWithPolicy(api());
    const other = await aLevel(api(), 3);
    const receive = (quantity: number) =>
      call(api().url, 'POST', `${story.levelPath}/receipts`, {
        token: story.clerk.token,
        json: { quantity },
      });
    const first = await receive(1);
    await drain(api());
    const all = await feed(api(), story.admin, { sku: story.sku });
    const last = all.at(-1);
    const second = await receive(2);
    await drain(api());

    // Act
    const receipts = await feed(api(), story.admin, { 'detail-type': 'StockReceived', sku: story.sku });
    const latest = await feed(api(), story.admin, { sku: story.sku, limit: '1' });
    const newer = await feed(api(), story.admin, { sku: story.sku, after: String(last?.id) });
    const future = await feed(api(), story.admin, { since: new Date(Date.now() + 60_000).toISOString() });

    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    // The level was stocked with STORY.onHand, then received 1 and 2.
    expect(receipts.map((e) => e.detail.quantity)).toEqual([STORY.onHand, 1, 2]);
    expect(receipts.every((e) => e.detail.sku === story.sku)).toBe(true);
    expect(latest).toHaveLength(1);
    expect(latest[0]?.detail.quantity).toBe(2);
    expect(newer.map((e) => [e['detail-type'], e.detail.quantity])).toEqual([['StockReceived', 2]]);
    expect(future).toEqual([]);
    expect((await feed(api(), story.admin, { sku: other.sku })).map((e) => e.detail.sku)).toEqual([
      other.sku,
    ]);
    expect(distinctEventIds(receipts).size).toBe(receipts.length);
  });
});
