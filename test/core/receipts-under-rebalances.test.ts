import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyLimitError } from '../../shared/kernel/errors.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import {
  openReplenishmentRequest,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../shared/replenishment/use-cases/replenishment.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { receiveStock, transferStock } from '../../shared/stock/use-cases/stock-operations.js';
import { testDeps, useTestTable } from '../support/dynamo.js';
import { aKey, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * A write that adds units to a level is planned over the level's active shards, each part guarded by its shard
 * being active; a rebalance to fewer shards between the plan and the write makes the plan stale, and it is planned
 * again a bounded number of times (retryOverShards). Here a rebalance lands before every transaction of the
 * receipt, so that each of its plans is stale.
 */
const { table, deps } = useTestTable();

const clerk = { actor: WAREHOUSE_CLERK, reason: 'delivery' };

/** The receipt's own client, stores and shard directory; the rebalances go through `deps` (another client). */
const receiptClient = createDocumentClient({
  endpoint: table.endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 3,
});
afterAll(() => receiptClient.destroy());
/**
 * Fresh for each test, so that the shard maps it remembers are read after the test's split: a process that read the
 * registry of sharded levels before a split sees the level unsharded for up to 30 s (ADR 43).
 */
let receiptDeps = testDeps({ ...table, client: receiptClient }, undefined, deps.clock);
beforeEach(() => {
  receiptDeps = testDeps({ ...table, client: receiptClient }, undefined, deps.clock);
});

let beforeTransaction: (() => Promise<void>) | null = null;
receiptClient.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'TransactWriteItemsCommand' && beforeTransaction) await beforeTransaction();
    return next(args);
  },
  { step: 'build', name: 'rebalanceBeforeTransaction' },
);

/**
 * Runs `act` while, before each transaction it sends, the level is rebalanced to the next of `counts` (each one
 * fewer than the shards the receipt planned over, so that a shard it puts units into is retired). Answers the
 * rebalances made.
 */
async function underRebalances(
  level: { sku: Sku; locationId: LocationId },
  counts: readonly number[],
  act: () => Promise<unknown>,
): Promise<{ error: unknown; rebalances: number[] }> {
  const left = [...counts];
  const rebalances: number[] = [];
  beforeTransaction = async () => {
    const shards = left.shift();
    if (shards === undefined) throw new Error('more transactions than rebalances planned');
    await shardLevel(deps, { ...level, shards }, WAREHOUSE_CLERK);
    rebalances.push(shards);
  };
  try {
    return {
      error: await act().then(
        () => null,
        (e: unknown) => e,
      ),
      rebalances,
    };
  } finally {
    beforeTransaction = null;
  }
}

async function shardsOf(level: { sku: Sku; locationId: LocationId }) {
  const shards = await deps.levels.getLevelShards(level.sku, level.locationId);
  return { onHand: shards.reduce((n, s) => n + s.onHand, 0), shardCount: shards[0]?.shardCount };
}

const movementTypes = async (level: { sku: Sku; locationId: LocationId }) =>
  (await deps.ledger.allMovements(level.sku, level.locationId)).map((m) => m.type);

describe('a receipt whose every plan a rebalance made stale', () => {
  it('answers busy with nothing written, and the same keyed receipt applies once when the rebalances stop', async () => {
    // Prepare: 50 units over 5 shards; a receipt of 50 puts units into every active shard
    const level = await aStockedLevel(deps, 50, aSku(), undefined, 5);
    const before = await movementTypes(level);
    const receipt = { ...level, quantity: 50, idempotencyKey: aKey() };

    // Act: before each of the receipt's four attempts, the level loses a shard (5 -> 4 -> 3 -> 2 -> 1)
    const { error, rebalances } = await underRebalances(level, [4, 3, 2, 1], () =>
      receiveStock(receiptDeps, receipt, clerk),
    );

    // Assess: busy (503 with Retry-After), not an invariant violation; no unit and no receipt movement written
    expect(rebalances).toEqual([4, 3, 2, 1]);
    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect((error as ConcurrencyLimitError).details.retryAfterSeconds).toBeGreaterThan(0);
    expect(await shardsOf(level)).toEqual({ onHand: 50, shardCount: 1 });
    expect((await movementTypes(level)).filter((t) => t === 'RECEIVED')).toEqual(
      before.filter((t) => t === 'RECEIVED'),
    );
    await expectLevelConsistent(deps, level.sku, level.locationId);

    // Act: the same receipt, the level left alone
    const retried = await receiveStock(receiptDeps, receipt, clerk);
    const replayed = await receiveStock(receiptDeps, receipt, clerk);

    // Assess: applied once
    expect(retried.replayed).toBe(false);
    expect(replayed).toMatchObject({ replayed: true, movementIds: retried.movementIds });
    expect(await shardsOf(level)).toEqual({ onHand: 100, shardCount: 1 });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });
});

describe('a replenishment receipt whose every plan a rebalance made stale', () => {
  it('answers busy with nothing written, and the same keyed receipt applies once when the rebalances stop', async () => {
    // Prepare: 50 units over 5 shards and an open request of 40; a receipt of 40 puts units into every shard
    const level = await aStockedLevel(deps, 50, aSku(), undefined, 5);
    await setReplenishmentPolicy(deps, { ...level, reorderPoint: 60, reorderQuantity: 40 }, clerk);
    const movementId = deps.ids.next();
    const opened = await openReplenishmentRequest(deps, {
      eventId: `StockLow#${movementId}`,
      occurredAt: new Date(deps.clock.now()).toISOString(),
      ...level,
      available: 50,
      reorderPoint: 60,
      reorderQuantity: 40,
      movementId,
    });
    const requestId = opened.request?.requestId as string;
    const before = await movementTypes(level);
    const receipt = { ...level, requestId, quantity: 40, idempotencyKey: aKey() };

    // Act
    const { error, rebalances } = await underRebalances(level, [4, 3, 2, 1], () =>
      receiveReplenishment(receiptDeps, receipt, clerk),
    );

    // Assess
    expect(rebalances).toEqual([4, 3, 2, 1]);
    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect(await shardsOf(level)).toEqual({ onHand: 50, shardCount: 1 });
    expect((await movementTypes(level)).filter((t) => t === 'RECEIVED')).toEqual(
      before.filter((t) => t === 'RECEIVED'),
    );
    expect(await deps.replenishments.getOpenReplenishment(level.sku, level.locationId)).toMatchObject({
      requestId,
      receivedQuantity: 0,
    });
    await expectLevelConsistent(deps, level.sku, level.locationId);

    // Act
    const retried = await receiveReplenishment(receiptDeps, receipt, clerk);
    const replayed = await receiveReplenishment(receiptDeps, receipt, clerk);

    // Assess
    expect(retried.replayed).toBe(false);
    expect(retried.request).toMatchObject({ status: 'RECEIVED', receivedQuantity: 40 });
    expect(replayed).toMatchObject({ replayed: true, movementIds: retried.movementIds });
    expect(await shardsOf(level)).toEqual({ onHand: 90, shardCount: 1 });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });
});

describe('a transfer into a level that a rebalance left with fewer shards', () => {
  it('plans its receiving side again and moves the units once', async () => {
    // Prepare: 20 units at the source, 50 over 5 shards at the destination; 10 transferred put units in each
    const sku = aSku();
    const from = await aStockedLevel(deps, 20, sku);
    const to = await aStockedLevel(deps, 50, sku, undefined, 5);

    // Act: the destination loses a shard before the transfer's first transaction, then is left as it is
    const { error, rebalances } = await underRebalances(to, [4, 4], () =>
      transferStock(receiptDeps, { sku, from: from.locationId, to: to.locationId, quantity: 10 }, clerk),
    );

    // Assess: moved once, nothing lost or made
    expect(error).toBeNull();
    expect(rebalances).toEqual([4, 4]);
    expect(await shardsOf(from)).toEqual({ onHand: 10, shardCount: 1 });
    expect(await shardsOf(to)).toEqual({ onHand: 60, shardCount: 4 });
    await expectLevelConsistent(deps, sku, from.locationId);
    await expectLevelConsistent(deps, sku, to.locationId);
  });

  it('answers busy with nothing written when the destination loses a shard before every attempt', async () => {
    // Prepare
    const sku = aSku();
    const from = await aStockedLevel(deps, 20, sku);
    const to = await aStockedLevel(deps, 50, sku, undefined, 5);

    // Act
    const { error, rebalances } = await underRebalances(to, [4, 3, 2, 1], () =>
      transferStock(receiptDeps, { sku, from: from.locationId, to: to.locationId, quantity: 10 }, clerk),
    );

    // Assess
    expect(rebalances).toEqual([4, 3, 2, 1]);
    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect(await shardsOf(from)).toEqual({ onHand: 20, shardCount: 1 });
    expect(await shardsOf(to)).toEqual({ onHand: 50, shardCount: 1 });
    await expectLevelConsistent(deps, sku, from.locationId);
    await expectLevelConsistent(deps, sku, to.locationId);
  });
});
