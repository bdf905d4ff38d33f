import { describe, expect, it } from 'vitest';
import type { RecordHandler } from '../../infra/local/event-pipeline.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { useTestApi } from './support/api.js';
import { call } from './support/http.js';
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

/**
 * The replenishment story over HTTP again, with every batch of stream records delivered twice to the
 * enrichment and the bus (as a Pipe may): still one StockLow, one request, incoming raised once.
 */
const twice =
  (deliver: RecordHandler): RecordHandler =>
  async (records) => {
    await deliver(records);
    await deliver(records);
  };
const api = useTestApi({}, { events: { intervalMs: 200, wrapDelivery: twice } });

describe('with every stream batch delivered twice', () => {
  it('a reserve that crosses the reorder point still gives one StockLow and one open request, incoming raised once', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());

    // Act
    await reserveAcrossTheReorderPoint(api(), story);

    // Assess: the feed shows the StockLow as delivered, more than once (the redelivered batch), always as the
    // same event
    const stockLows = await feed(api(), story.admin, { 'detail-type': 'StockLow', sku: story.sku });
    expect(stockLows.length).toBeGreaterThan(1);
    expect(distinctEventIds(stockLows).size).toBe(1);
    expect(new Set(stockLows.map((e) => JSON.stringify(e.detail))).size).toBe(1);
    expect(stockLows[0]?.detail).toMatchObject({ available: AVAILABLE_AFTER_RESERVE });
    const open = await replenishments(api(), story.admin, { sku: story.sku, locationId: story.locationId });
    const closed = await replenishments(api(), story.admin, {
      sku: story.sku,
      locationId: story.locationId,
      state: 'CLOSED',
    });
    expect(open.requests).toEqual([
      expect.objectContaining({ status: 'OPEN', quantity: STORY.reorderQuantity }),
    ]);
    expect(closed.requests).toEqual([]);
    const requested = await feed(api(), story.admin, {
      'detail-type': 'ReplenishmentRequested',
      sku: story.sku,
    });
    expect(distinctEventIds(requested).size).toBe(1);
    const level = await call(api().url, 'GET', story.levelPath, { token: story.admin.token });
    expect(level.body).toMatchObject({ available: AVAILABLE_AFTER_RESERVE, incoming: STORY.reorderQuantity });
    await expectLevelConsistent(api().deps, story.sku, story.locationId);
  });

  it('receiving against the request closes it and moves incoming to on-hand, once', async () => {
    // Prepare
    const story = await aLevelWithPolicy(api());
    await reserveAcrossTheReorderPoint(api(), story);
    const { requests } = await replenishments(api(), story.clerk, { locationId: story.locationId });
    const requestId = requests[0]?.requestId;

    // Act
    const receipt = await call(api().url, 'POST', `${story.levelPath}/replenishments/${requestId}/receive`, {
      token: story.clerk.token,
      json: { quantity: STORY.reorderQuantity },
    });
    await drain(api());

    // Assess
    expect(receipt.status, receipt.text).toBe(200);
    const open = await replenishments(api(), story.clerk, { sku: story.sku, locationId: story.locationId });
    const closed = await replenishments(api(), story.clerk, {
      sku: story.sku,
      locationId: story.locationId,
      state: 'CLOSED',
    });
    expect(open.requests).toEqual([]);
    expect(closed.requests.map((r) => [r.requestId, r.status])).toEqual([[requestId, 'RECEIVED']]);
    const level = await call(api().url, 'GET', story.levelPath, { token: story.clerk.token });
    expect(level.body).toMatchObject({
      onHand: STORY.onHand + STORY.reorderQuantity,
      incoming: 0,
      available: AVAILABLE_AFTER_RESERVE + STORY.reorderQuantity,
    });
    // The receipt brought the level back above the reorder point: still the one StockLow, no second request.
    expect(
      distinctEventIds(await feed(api(), story.admin, { 'detail-type': 'StockLow', sku: story.sku })).size,
    ).toBe(1);
    await expectLevelConsistent(api().deps, story.sku, story.locationId);
  });
});
