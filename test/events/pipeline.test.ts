import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../infra/local/event-bus.js';
import {
  type EventPipeline,
  type RecordHandler,
  startEventPipeline,
} from '../../infra/local/event-pipeline.js';
import { parseDomainEvent } from '../../shared/events/catalogue.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import {
  listReplenishments,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../shared/replenishment/use-cases/replenishment.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { createTestTable, type TestDeps, type TestTable, testDeps } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { streamClientConfig } from '../support/stream.js';

/**
 * The end-to-end test on the local runtime's pipeline, in-process: DynamoDB Local's stream → the
 * enrichment → the in-process bus → the replenishment consumer, once with every stream batch delivered once,
 * once with every batch delivered twice.
 */

interface Run {
  table: TestTable;
  deps: TestDeps;
  pipeline: EventPipeline;
  logDir: string;
}

async function startRun(deliverTwice: boolean): Promise<Run> {
  const table = await createTestTable();
  const deps = testDeps(table);
  const logDir = await mkdtemp(join(tmpdir(), 'inventory-events-'));
  const twice =
    (deliver: RecordHandler): RecordHandler =>
    async (records) => {
      await deliver(records);
      await deliver(records);
    };
  const pipeline = await startEventPipeline({
    streamClientConfig: streamClientConfig(table),
    tableName: table.tableName,
    deps,
    startAt: 'TRIM_HORIZON',
    intervalMs: 200,
    busOptions: { logFile: join(logDir, 'events.jsonl'), retryDelayMs: 1 },
    ...(deliverTwice ? { wrapDelivery: twice } : {}),
  });
  return { table, deps, pipeline, logDir };
}

async function stopRun(run: Run | undefined): Promise<void> {
  if (!run) return;
  await run.pipeline.stop();
  await run.table.drop();
  await rm(run.logDir, { recursive: true, force: true });
}

let once: Run;
let twice: Run;
beforeAll(async () => {
  [once, twice] = await Promise.all([startRun(false), startRun(true)]);
});
afterAll(async () => {
  await Promise.all([stopRun(once), stopRun(twice)]);
});

const clerk = { actor: WAREHOUSE_CLERK, reason: 'delivery' };

const ofType = (run: Run, sku: string, type: string): BusEvent[] =>
  run.pipeline.bus.history({ detailType: type }).filter((e) => (e.detail as { sku?: string }).sku === sku);

const idsOf = (events: readonly BusEvent[]) => [
  ...new Set(events.map((e) => (e.detail as { eventId: string }).eventId)),
];

/** A level of 20 with reorder point 10 and quantity 40, then a reserve of 12 that takes available to 8. */
async function crossTheReorderPoint(run: Run) {
  const level = await aStockedLevel(run.deps, 20);
  await setReplenishmentPolicy(run.deps, { ...level, reorderPoint: 10, reorderQuantity: 40 }, clerk);
  await run.pipeline.drain();
  await reserveStock(run.deps, { ...level, quantity: 12 }, aPrincipal());
  await run.pipeline.drain();
  return level;
}

describe('the local event pipeline, end to end', () => {
  it('turns a reserve that crosses the reorder point into exactly one StockLow and one replenishment request', async () => {
    // Act
    const { sku, locationId } = await crossTheReorderPoint(once);

    // Assess
    const stockLows = ofType(once, sku, 'StockLow');
    expect(stockLows).toHaveLength(1);
    expect(stockLows[0]?.detail).toMatchObject({ available: 8, reorderPoint: 10, reorderQuantity: 40 });
    const open = await listReplenishments(once.deps, { sku, locationId });
    expect(open.requests).toHaveLength(1);
    expect(open.requests[0]).toMatchObject({ quantity: 40, status: 'OPEN', trigger: { available: 8 } });
    const requested = ofType(once, sku, 'ReplenishmentRequested');
    expect(requested.map((e) => e.detail)).toEqual([
      expect.objectContaining({ requestId: open.requests[0]?.requestId, quantity: 40 }),
    ]);
    expect(await readLevel(once.deps, sku, locationId)).toMatchObject({ available: 8, incoming: 40 });
    expect(once.pipeline.bus.deadLetters()).toEqual([]);
    await expectLevelConsistent(once.deps, sku, locationId);
  });

  it('still makes one StockLow and one request when every stream batch is delivered twice', async () => {
    // Act
    const { sku, locationId } = await crossTheReorderPoint(twice);

    // Assess: the crossing was decided once: one StockLow (its copies, from the redelivered batch of the alert's
    // own record, are the same event with the same id) and one request, incoming raised once
    const stockLows = ofType(twice, sku, 'StockLow');
    expect(stockLows).toHaveLength(2);
    expect(idsOf(stockLows)).toHaveLength(1);
    expect(new Set(stockLows.map((e) => JSON.stringify(e.detail))).size).toBe(1);
    const open = await listReplenishments(twice.deps, { sku, locationId });
    const closed = await listReplenishments(twice.deps, { sku, locationId, state: 'CLOSED' });
    expect(open.requests).toHaveLength(1);
    expect(closed.requests).toHaveLength(0);
    expect(idsOf(ofType(twice, sku, 'ReplenishmentRequested'))).toHaveLength(1);
    expect(await readLevel(twice.deps, sku, locationId)).toMatchObject({ available: 8, incoming: 40 });
    expect(twice.pipeline.bus.deadLetters()).toEqual([]);
    await expectLevelConsistent(twice.deps, sku, locationId);
  });

  it('emits no second StockLow while the level stays low, even with every batch delivered twice', async () => {
    // Prepare
    const level = await crossTheReorderPoint(twice);

    // Act
    await reserveStock(twice.deps, { ...level, quantity: 3 }, aPrincipal());
    await twice.pipeline.drain();

    // Assess
    expect(idsOf(ofType(twice, level.sku, 'StockLow'))).toHaveLength(1);
    expect((await listReplenishments(twice.deps, level)).requests).toHaveLength(1);
  });

  it('closes the request when its stock is received and moves incoming to on-hand', async () => {
    for (const run of [once, twice]) {
      // Prepare
      const { sku, locationId } = await crossTheReorderPoint(run);
      const [request] = (await listReplenishments(run.deps, { sku, locationId })).requests;
      if (!request) throw new Error('no request was opened');

      // Act
      await receiveReplenishment(
        run.deps,
        { sku, locationId, requestId: request.requestId, quantity: 40 },
        clerk,
      );
      await run.pipeline.drain();

      // Assess
      expect((await listReplenishments(run.deps, { sku, locationId })).requests).toEqual([]);
      const closed = await listReplenishments(run.deps, { sku, locationId, state: 'CLOSED' });
      expect(closed.requests.map((r) => [r.requestId, r.status])).toEqual([[request.requestId, 'RECEIVED']]);
      expect(await readLevel(run.deps, sku, locationId)).toMatchObject({
        onHand: 60,
        incoming: 0,
        available: 48,
      });
      const receipt = ofType(run, sku, 'StockReceived').at(-1);
      expect(receipt?.detail).toMatchObject({ delta: { onHand: 40, incoming: -40 }, quantity: 40 });
      expect(ofType(run, sku, 'StockLow')).not.toHaveLength(0);
      expect(idsOf(ofType(run, sku, 'StockLow'))).toHaveLength(1);
      await expectLevelConsistent(run.deps, sku, locationId);
    }
  });

  it('publishes only catalogue events, and writes each one to the log file a developer can watch', async () => {
    // Prepare
    await crossTheReorderPoint(once);

    // Act
    const history = once.pipeline.bus.history();
    const lines = (await readFile(join(once.logDir, 'events.jsonl'), 'utf8')).trim().split('\n');

    // Assess
    for (const event of history) expect(() => parseDomainEvent(event)).not.toThrow();
    expect(lines.map((line) => (JSON.parse(line) as BusEvent).id)).toEqual(history.map((e) => e.id));
  });

  it('gives the same stream record the same envelope id when a restarted pipeline reads the stream again', async () => {
    // Prepare
    await crossTheReorderPoint(once);
    const firstRun = once.pipeline.bus.history();

    // Act
    const restarted = await startEventPipeline({
      streamClientConfig: streamClientConfig(once.table),
      tableName: once.table.tableName,
      deps: once.deps,
      startAt: 'TRIM_HORIZON',
      intervalMs: 200,
      consumers: false,
    });
    await restarted.drain();
    await restarted.stop();
    const secondRun = restarted.bus.history();

    // Assess
    const envelopes = (events: readonly BusEvent[]) =>
      events.map((e) => `${e.id} ${(e.detail as { eventId: string }).eventId}`);
    expect(firstRun.length).toBeGreaterThan(0);
    expect(envelopes(secondRun)).toEqual(envelopes(firstRun));
  });
});
