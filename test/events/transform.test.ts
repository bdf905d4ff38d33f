import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passesStreamFilter } from '../../infra/local/event-pipeline.js';
import { alertStateOf, QUIET, thresholdEvents } from '../../shared/alerts/domain/level-alert.js';
import { type DomainEvent, parseDomainEvent } from '../../shared/events/catalogue.js';
import { enrichStreamRecords } from '../../shared/events/use-cases/enrich-stream-records.js';
import { releasePurgedHold, sweepExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { extendHold, reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { reservationKey } from '../../shared/platform/store/keys.js';
import {
  openReplenishmentRequest,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../shared/replenishment/use-cases/replenishment.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import {
  adjustStock,
  blockStock,
  countStock,
  receiveStock,
  transferStock,
} from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import { aKey, aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { recordStream, type StreamRecorder, skuOf } from '../support/stream.js';

const { table, deps } = useTestTable();
let recorder: StreamRecorder;
beforeAll(async () => {
  recorder = await recordStream(table);
});
afterAll(() => recorder.stop());

const clerk = { actor: WAREHOUSE_CLERK, reason: 'test' };

/**
 * Enriches every new stream record until the stream is quiet (an alert write is itself a record), as the event
 * pipeline does without a bus, and returns the events of one SKU, each checked by the catalogue's parser.
 */
async function eventsOf(sku: string): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (;;) {
    const records = await recorder.next();
    if (records.length === 0) break;
    events.push(...(await enrichStreamRecords(deps, records)));
  }
  return events.map((e) => parseDomainEvent(e)).filter((e) => (e.detail as { sku?: string }).sku === sku);
}

const types = (events: readonly DomainEvent[]) => events.map((e) => e['detail-type']);
const detailOf = (events: readonly DomainEvent[], type: string) =>
  events.find((e) => e['detail-type'] === type)?.detail as Record<string, unknown> | undefined;

describe('the stream filter', () => {
  it('passes levels, reservations, alert states and opened requests, and nothing else', async () => {
    // Prepare: a location, a level with a policy, a hold that makes it low, a keyed receipt (first test of the file)
    const level = await aStockedLevel(deps, 20);
    await setReplenishmentPolicy(deps, { ...level, reorderPoint: 10, reorderQuantity: 5 }, clerk);
    await reserveStock(deps, { ...level, quantity: 15 }, aPrincipal());
    await receiveStock(deps, { ...level, quantity: 1, idempotencyKey: aKey() }, clerk);

    // Act: every record the table wrote, the alert write of the enrichment, and a request opened
    const records = await recorder.next();
    await enrichStreamRecords(deps, records);
    records.push(...(await recorder.next()));
    await openReplenishmentRequest(deps, {
      eventId: `StockLow#${deps.ids.next()}`,
      occurredAt: new Date(deps.clock.now()).toISOString(),
      ...level,
      available: 6,
      reorderPoint: 10,
      reorderQuantity: 5,
      movementId: deps.ids.next(),
    });
    records.push(...(await recorder.next()));
    const kinds = (pass: boolean) =>
      [
        ...new Set(
          records.filter((r) => passesStreamFilter(r) === pass).map((r) => r.dynamodb?.NewImage?.kind?.S),
        ),
      ].sort();

    // Assess
    expect(kinds(true)).toEqual(['Level', 'LevelAlert', 'Replenishment', 'Reservation']);
    expect(kinds(false)).toEqual(['Idempotency', 'Location', 'Movement']);
  });
});

describe('stock-change events', () => {
  it('turn a receipt, an adjustment, a block, an unblock and a count into their events, with the level after each', async () => {
    // Prepare
    const { sku, locationId } = await aStockedLevel(deps, 50);
    await adjustStock(deps, { sku, locationId, delta: -2 }, { ...clerk, reason: 'damaged in handling' });
    await blockStock(deps, { sku, locationId, quantity: 3, direction: 'block' }, clerk);
    await blockStock(deps, { sku, locationId, quantity: 1, direction: 'unblock' }, clerk);
    await countStock(deps, { sku, locationId, onHand: 47, expectedVersion: 4 }, clerk);

    // Act
    const events = await eventsOf(sku);

    // Assess
    expect(types(events)).toEqual([
      'StockReceived',
      'StockAdjusted',
      'StockMoved',
      'StockMoved',
      'StockCounted',
    ]);
    expect(events.map((e) => (e.detail as { level: { version: number } }).level.version)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(detailOf(events, 'StockReceived')).toMatchObject({
      quantity: 50,
      delta: { onHand: 50 },
      actor: WAREHOUSE_CLERK,
      level: { onHand: 50, available: 50 },
    });
    expect(detailOf(events, 'StockAdjusted')).toMatchObject({
      reason: 'damaged in handling',
      delta: { onHand: -2 },
    });
    expect(events[3]?.detail).toMatchObject({ type: 'UNBLOCKED', quantity: 1, level: { unavailable: 2 } });
    expect(detailOf(events, 'StockCounted')).toMatchObject({
      previousOnHand: 48,
      countedOnHand: 47,
      level: { onHand: 47, unavailable: 2, available: 45, version: 5 },
    });
  });

  it('turn a transfer into one TransferCompleted that names the movements on both sides', async () => {
    // Prepare
    const { sku, locationId: from } = await aStockedLevel(deps, 10);
    const to = await aLocation(deps);
    const transfer = await transferStock(deps, { sku, from, to, quantity: 4 }, clerk);

    // Act
    const events = (await eventsOf(sku)).filter((e) => e['detail-type'] !== 'StockReceived');

    // Assess
    expect(types(events)).toEqual(['TransferCompleted']);
    expect(events[0]?.detail).toMatchObject({
      quantity: 4,
      from: { locationId: from, movementId: transfer.movementIds[0] },
      to: { locationId: to, movementId: transfer.movementIds[1] },
      reference: { type: 'transfer', id: transfer.movementIds[0] },
    });
  });

  it('give for a rebalance only LevelShardsChanged, nothing for a policy change or the incoming of a request, and a receipt against it its incoming', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 30);
    await shardLevel(deps, { ...level, shards: 2 }, WAREHOUSE_CLERK);
    await setReplenishmentPolicy(deps, { ...level, reorderPoint: 5, reorderQuantity: 20 }, clerk);
    const opened = await openReplenishmentRequest(deps, {
      eventId: `StockLow#${deps.ids.next()}`,
      occurredAt: new Date(deps.clock.now()).toISOString(),
      ...level,
      available: 4,
      reorderPoint: 5,
      reorderQuantity: 20,
      movementId: deps.ids.next(),
    });
    const requestId = opened.request?.requestId ?? '';
    await receiveReplenishment(deps, { ...level, requestId, quantity: 20 }, clerk);

    // Act
    const events = await eventsOf(level.sku);

    // Assess
    expect(types(events)).toEqual([
      'StockReceived',
      'LevelShardsChanged',
      'ReplenishmentRequested',
      'StockReceived',
      'StockReceived',
    ]);
    expect(events[1]?.detail).toMatchObject({ ...level, from: 1, to: 2, actor: WAREHOUSE_CLERK });
    expect(events[2]?.detail).toMatchObject({ requestId, quantity: 20, available: 4, reorderPoint: 5 });
    const receipts = events
      .slice(3)
      .map((e) => e.detail as { shard: number; delta: object; reference: object });
    expect(receipts.find((d) => d.shard === 0)).toMatchObject({
      delta: { onHand: 10, incoming: -20 },
      reference: { type: 'replenishment', id: requestId },
    });
    expect(receipts.find((d) => d.shard === 1)?.delta).toEqual({ onHand: 10 });
  });
});

describe('the shard map event', () => {
  it('gives one LevelShardsChanged for a split made of several transactions, from the one that changed the count', async () => {
    // Prepare: a split of 1 shard into 64 is two transactions (48 shards each at most); shard 0 is written in both.
    const level = await aStockedLevel(deps, 6_400);
    await eventsOf(level.sku);

    // Act
    await shardLevel(deps, { ...level, shards: 64 }, WAREHOUSE_CLERK);
    const events = await eventsOf(level.sku);

    // Assess
    expect(events.map((e) => [e['detail-type'], e.detail])).toEqual([
      ['LevelShardsChanged', expect.objectContaining({ ...level, from: 1, to: 64, actor: WAREHOUSE_CLERK })],
    ]);
  });
});

describe('reservation events', () => {
  it('follow a hold from created through extended and confirmed to fulfilled, with its movements and actors', async () => {
    // Prepare
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const owner = aPrincipal('storefront');
    const { reservation } = await reserveStock(
      deps,
      { sku, locationId, quantity: 2, ttlSeconds: 600, reference: 'cart-1' },
      owner,
    );
    const id = reservation.reservationId;
    deps.clock.advance(60_000);
    await extendHold(deps, { reservationId: id, ttlSeconds: 900 }, owner);
    const confirmed = await resolveHold(deps, 'confirm', { reservationId: id }, owner, owner);
    await resolveHold(deps, 'fulfill', { reservationId: id }, null, WAREHOUSE_CLERK);

    // Act
    const events = (await eventsOf(sku)).filter((e) => e['detail-type'].startsWith('Reservation'));

    // Assess
    expect(types(events)).toEqual([
      'ReservationCreated',
      'ReservationExtended',
      'ReservationConfirmed',
      'ReservationFulfilled',
    ]);
    expect(events[0]?.detail).toMatchObject({
      reservationId: id,
      ownerId: owner,
      reference: 'cart-1',
      quantity: 2,
    });
    expect(events[1]?.detail).toMatchObject({
      previousExpiresAt: new Date(reservation.expiresAt).toISOString(),
      expiresAt: new Date(deps.clock.now() + 900_000).toISOString(),
      actor: owner,
    });
    expect(events[2]?.detail).toMatchObject({
      actor: owner,
      expiresAt: new Date(confirmed.reservation.expiresAt).toISOString(),
    });
    expect(events[3]?.detail).toMatchObject({ actor: WAREHOUSE_CLERK, status: 'FULFILLED' });
    const movements = await deps.ledger.allMovements(sku, locationId);
    const ids = events.map((e) => (e.detail as { movementId?: string }).movementId).filter(Boolean);
    expect(ids).toEqual(
      ['RESERVED', 'CONFIRMED', 'FULFILLED'].map((t) => movements.find((m) => m.type === t)?.movementId),
    );
  });

  it('report a release, a cancellation, an expiry by the sweeper and one restored by the TTL backstop', async () => {
    // Prepare
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const owner = aPrincipal();
    const hold = async (ttlSeconds = 600) =>
      (await reserveStock(deps, { sku, locationId, quantity: 1, ttlSeconds }, owner)).reservation;
    const released = await hold();
    await resolveHold(deps, 'release', { reservationId: released.reservationId }, owner, owner);
    const cancelled = await hold();
    await resolveHold(deps, 'confirm', { reservationId: cancelled.reservationId }, owner, owner);
    await resolveHold(deps, 'cancel', { reservationId: cancelled.reservationId }, null, WAREHOUSE_CLERK);
    const swept = await hold(10);
    const purged = await hold(10);
    await table.client.send(
      new DeleteCommand({ TableName: table.tableName, Key: reservationKey(purged.reservationId) }),
    );
    deps.clock.advance(60_000);
    await sweepExpiredHolds(deps);
    await releasePurgedHold(deps, { ...purged, parts: [{ shard: 0, quantity: 1 }] });

    // Act
    const events = (await eventsOf(sku)).filter(
      (e) => e['detail-type'] !== 'ReservationCreated' && e['detail-type'].startsWith('Reservation'),
    );

    // Assess
    const byId = Object.fromEntries(
      events.map((e) => [(e.detail as { reservationId: string }).reservationId, e['detail-type']]),
    );
    expect(events).toHaveLength(5);
    expect(byId).toEqual({
      [released.reservationId]: 'ReservationReleased',
      [cancelled.reservationId]: 'ReservationCancelled',
      [swept.reservationId]: 'ReservationExpired',
      [purged.reservationId]: 'ReservationExpired',
    });
    expect(
      events
        .filter((e) => e['detail-type'] === 'ReservationExpired')
        .map((e) => (e.detail as { actor: string }).actor)
        .sort(),
    ).toEqual(['system:sweeper', 'system:ttl-backstop']);
  });
});

describe('threshold events', () => {
  async function aLevelWithPolicy(onHand: number, reorderPoint: number, shards = 1) {
    const level = await aStockedLevel(deps, onHand, aSku(), undefined, shards);
    await setReplenishmentPolicy(deps, { ...level, reorderPoint, reorderQuantity: 40 }, clerk);
    await eventsOf(level.sku);
    return level;
  }

  it('report StockLow once when available crosses below the reorder point, and again only after it recovered', async () => {
    // Prepare
    const level = await aLevelWithPolicy(20, 10);
    const buyer = aPrincipal();

    // Act
    const crossing = await reserveStock(deps, { ...level, quantity: 12 }, buyer);
    const first = await eventsOf(level.sku);
    await reserveStock(deps, { ...level, quantity: 1 }, buyer);
    const stillLow = await eventsOf(level.sku);
    await receiveStock(deps, { ...level, quantity: 30 }, clerk);
    const recovered = await eventsOf(level.sku);
    await reserveStock(deps, { ...level, quantity: 30 }, buyer);
    const again = await eventsOf(level.sku);

    // Assess
    expect(types(first)).toEqual(['ReservationCreated', 'StockLow']);
    expect(detailOf(first, 'StockLow')).toMatchObject({
      available: 8,
      reorderPoint: 10,
      reorderQuantity: 40,
      version: 3,
      movementId: (await deps.ledger.allMovements(level.sku, level.locationId)).find(
        (m) => m.reservationId === crossing.reservation.reservationId,
      )?.movementId,
    });
    expect(types(stillLow)).toEqual(['ReservationCreated']);
    expect(types(recovered)).toEqual(['StockReceived']);
    expect(types(again)).toEqual(['ReservationCreated', 'StockLow']);
  });

  it('report StockOut when available reaches zero, and StockBackInStock when it rises from zero', async () => {
    // Prepare
    const level = await aLevelWithPolicy(5, 2);

    // Act
    await reserveStock(deps, { ...level, quantity: 5 }, aPrincipal());
    const out = await eventsOf(level.sku);
    await receiveStock(deps, { ...level, quantity: 1 }, clerk);
    const back = await eventsOf(level.sku);

    // Assess
    expect(types(out)).toEqual(['ReservationCreated', 'StockLow', 'StockOut']);
    expect(detailOf(out, 'StockOut')).toMatchObject({ available: 0, version: 3 });
    expect(types(back)).toEqual(['StockReceived', 'StockBackInStock']);
    expect(detailOf(back, 'StockBackInStock')).toMatchObject({ available: 1, version: 4 });
  });

  it('report a crossing once when the same records are enriched again, even after the level recovered', async () => {
    // Prepare
    const level = await aLevelWithPolicy(20, 10);
    await reserveStock(deps, { ...level, quantity: 15 }, aPrincipal());
    const records = (await recorder.next()).filter((r) => skuOf(r) === level.sku);

    // Act: the records are enriched twice, then whatever the enrichment wrote; then, once the level has
    // recovered, the crossing's records come back a third time
    const firstTime = await enrichStreamRecords(deps, records);
    const secondTime = await enrichStreamRecords(deps, records);
    const decided = await eventsOf(level.sku);
    await receiveStock(deps, { ...level, quantity: 30 }, clerk);
    await eventsOf(level.sku);
    await enrichStreamRecords(deps, records);
    const late = await eventsOf(level.sku);

    // Assess
    expect(types(firstTime)).toEqual(['ReservationCreated']);
    expect(secondTime).toEqual(firstTime);
    expect(types(decided)).toEqual(['StockLow']);
    expect(late).toEqual([]);
  });

  it('decide a sharded level’s crossing on the sum of its shards, once, whichever shard’s record sees it', async () => {
    // Prepare: 4 shards of 10; reserves that empty shards without the level going low, then one that does
    const level = await aLevelWithPolicy(40, 12, 4);
    const buyer = aPrincipal();
    await Promise.all([10, 10].map((quantity) => reserveStock(deps, { ...level, quantity }, buyer)));
    const notYet = await eventsOf(level.sku);
    await Promise.all([5, 5, 5].map((quantity) => reserveStock(deps, { ...level, quantity }, buyer)));
    const records = (await recorder.next()).filter((r) => skuOf(r) === level.sku);

    // Act: the level records are enriched in reverse order, and twice
    await enrichStreamRecords(deps, [...records].reverse());
    await enrichStreamRecords(deps, records);
    const crossed = await eventsOf(level.sku);

    // Assess
    expect(types(notYet).filter((t) => t.startsWith('Stock'))).toEqual([]);
    expect(types(crossed)).toEqual(['StockLow']);
    expect(detailOf(crossed, 'StockLow')).toMatchObject({ available: 5, reorderPoint: 12 });
    const level40 = await deps.levels.getLevel(level.sku, level.locationId);
    expect(level40?.available).toBe(5);
  });

  it('never let a sharded level’s record delivered again later claim a newer crossing', async () => {
    // Prepare: a crossing decided by the first reserve's records, a recovery, then a second crossing whose records
    // have not been enriched yet
    const level = await aLevelWithPolicy(40, 12, 4);
    const buyer = aPrincipal();
    await reserveStock(deps, { ...level, quantity: 30 }, buyer);
    const firstRecords = (await recorder.next()).filter((r) => skuOf(r) === level.sku);
    await enrichStreamRecords(deps, firstRecords);
    const first = await eventsOf(level.sku);
    await receiveStock(deps, { ...level, quantity: 30 }, clerk);
    await eventsOf(level.sku);
    await reserveStock(deps, { ...level, quantity: 30 }, buyer);
    const secondRecords = (await recorder.next()).filter((r) => skuOf(r) === level.sku);

    // Act: the first crossing's records come back before the second crossing's are enriched
    await enrichStreamRecords(deps, firstRecords);
    const redelivered = await eventsOf(level.sku);
    await enrichStreamRecords(deps, secondRecords);
    const second = await eventsOf(level.sku);

    // Assess
    expect(types(first)).toEqual(['StockLow']);
    expect(redelivered).toEqual([]);
    expect(types(second)).toEqual(['StockLow']);
    const movementOf = (events: DomainEvent[]) =>
      (events.find((e) => e['detail-type'] === 'StockLow')?.detail as { movementId: string }).movementId;
    const secondMovements = secondRecords.map((r) => r.dynamodb?.NewImage?.lastMovementId?.S);
    expect(secondMovements).toContain(movementOf(second));
    expect(movementOf(second)).not.toBe(movementOf(first));
  });

  it('know the state changes that are threshold events', () => {
    expect(thresholdEvents(QUIET, alertStateOf(3, 5))).toEqual(['StockLow']);
    expect(thresholdEvents(QUIET, alertStateOf(0, 5))).toEqual(['StockLow', 'StockOut']);
    expect(thresholdEvents(alertStateOf(0, 5), alertStateOf(2, 5))).toEqual(['StockBackInStock']);
    expect(thresholdEvents(alertStateOf(2, 5), alertStateOf(9, 5))).toEqual([]);
    expect(thresholdEvents(QUIET, alertStateOf(3, null))).toEqual([]);
  });
});
