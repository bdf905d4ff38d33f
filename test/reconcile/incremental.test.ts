import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { levelKey } from '../../shared/platform/store/keys.js';
import { DEFAULT_SETTLE_MS, reconcile } from '../../shared/stock/use-cases/reconcile.js';
import { adjustStock } from '../../shared/stock/use-cases/stock-operations.js';
import { type TestDeps, useTestTables } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';

const clerk = { actor: WAREHOUSE_CLERK, reason: 'test' };
const LATER = DEFAULT_SETTLE_MS + 60_000;

const aTable = useTestTables();

async function adjustments(deps: TestDeps, level: { sku: string; locationId: string }, n: number) {
  for (let i = 0; i < n; i++) {
    deps.clock.advance(1_000);
    await adjustStock(deps, { ...level, delta: 1 } as never, clerk);
  }
}

describe('incremental reconciliation', () => {
  it('replays only the movements written since the last verified checkpoint', async () => {
    // Prepare: a level with 21 movements, reconciled once after they settled
    const { deps } = await aTable();
    const level = await aStockedLevel(deps, 10);
    await adjustments(deps, level, 20);
    deps.clock.advance(LATER);
    const first = await reconcile(deps);
    await adjustments(deps, level, 3);
    deps.clock.advance(LATER);

    // Act
    const second = await reconcile(deps);

    // Assess
    expect(first).toMatchObject({ checked: 1, consistent: 1, full: 1, incremental: 0, replayed: 21 });
    expect(second).toMatchObject({ checked: 1, consistent: 1, full: 0, incremental: 1, replayed: 3 });
    expect(second.discovery.known).toBe(1);
    const checkpoint = await deps.checkpoints.getCheckpoint({ ...level, shard: 0 } as never);
    expect(checkpoint).toMatchObject({ count: 24, verifiedVersion: 24 });
    expect(checkpoint?.buckets.onHand).toBe(33);
  });

  it('counts a movement whose id was taken before the last run but committed after it, within the settle window', async () => {
    // Prepare: an id taken now; the run happens before its movement commits
    const { deps } = await aTable();
    const level = await aStockedLevel(deps, 10);
    deps.clock.advance(LATER);
    const early = deps.ids.next();
    deps.clock.advance(1_000);
    await reconcile(deps);
    await adjustStock({ ...deps, ids: { next: () => early } }, { ...level, delta: 4 }, clerk);
    deps.clock.advance(LATER);

    // Act
    const report = await reconcile(deps);

    // Assess: the late movement is at or above the boundary, so the tail holds it
    expect(report).toMatchObject({ consistent: 1, incremental: 1, full: 0, drifts: [] });
    expect(report.replayed).toBe(1);
  });

  it('takes no drift from a movement committed below a checkpoint’s boundary, and bases a new checkpoint on the whole ledger', async () => {
    // Prepare: an id taken long before the run (as the TTL backstop's, dated at the hold's expiry), committed after
    const { deps } = await aTable();
    const level = await aStockedLevel(deps, 10);
    const early = deps.ids.next();
    deps.clock.advance(LATER);
    const first = await reconcile(deps);
    const before = await deps.checkpoints.getCheckpoint({ ...level, shard: 0 } as never);
    await adjustStock({ ...deps, ids: { next: () => early } }, { ...level, delta: 4 }, clerk);
    deps.clock.advance(LATER);

    // Act
    const report = await reconcile(deps);

    // Assess
    expect(early < (before?.boundary ?? '')).toBe(true);
    expect(first.consistent).toBe(1);
    expect(report).toMatchObject({ consistent: 1, drifts: [], busy: [], full: 1, fellBack: 1 });
    const next = await reconcile(deps);
    expect(next).toMatchObject({ consistent: 1, incremental: 1, full: 0, fellBack: 0 });
    const after = await deps.checkpoints.getCheckpoint({ ...level, shard: 0 } as never);
    expect(after).toMatchObject({ count: 2, verifiedVersion: 2 });
    expect(after?.buckets.onHand).toBe(14);
  });

  it('still finds a drift made behind the service’s back after a checkpoint, from the whole ledger', async () => {
    // Prepare
    const { table, deps } = await aTable();
    const level = await aStockedLevel(deps, 10);
    deps.clock.advance(LATER);
    await reconcile(deps);
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: levelKey(level.sku, level.locationId, 0),
        UpdateExpression: 'ADD onHand :five, available :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );

    // Act
    const report = await reconcile(deps);

    // Assess
    expect(report.drifts.map((d) => [d.sku, d.difference, d.mode, d.fellBack])).toEqual([
      [level.sku, { onHand: 5, available: 5 }, 'full', true],
    ]);
    const checkpoint = await deps.checkpoints.getCheckpoint({ ...level, shard: 0 } as never);
    expect(checkpoint?.count).toBe(1);
  });

  it('verifies a level that is reserved while each of its checks runs, instead of calling it busy', async () => {
    // Prepare: a checkpointed level; the settle window holds the last ten seconds of movements
    const { deps } = await aTable();
    const level = await aStockedLevel(deps, 1_000);
    deps.clock.advance(LATER);
    await reconcile(deps);

    // Act: six runs, each with a reserve in flight while it reads the level and its ledger
    const reports = [];
    for (let i = 0; i < 6; i++) {
      deps.clock.advance(1_000);
      const reserve = reserveStock(deps, { ...level, quantity: 1 }, aPrincipal());
      reports.push(await reconcile(deps, { attempts: 10, settleMs: 10_000 }));
      await reserve;
    }

    // Assess: a single write lands on one side of a ledger read at most, so every run verifies the level
    expect(reports.flatMap((r) => r.drifts)).toEqual([]);
    expect(reports.map((r) => [r.consistent, r.busy.length])).toEqual(Array(6).fill([1, 0]));
    expect((await deps.levels.getLevel(level.sku, level.locationId))?.version).toBe(7);
  });

  it('lists known shards from their checkpoints, and finds new levels with a scan that resumes across runs', async () => {
    // Prepare: three levels; runs that scan one page of two items each
    const { deps } = await aTable();
    const levels = [await aStockedLevel(deps, 1), await aStockedLevel(deps, 2), await aStockedLevel(deps, 3)];
    deps.clock.advance(LATER);

    // Act: run until a sweep has gone through the whole table
    const runs = [];
    do runs.push(await reconcile(deps, { pageSize: 2, scanPages: 1 }));
    while (!runs.at(-1)?.discovery.sweepFinished && runs.length < 50);
    const after = await reconcile(deps, { pageSize: 2, scanPages: 1 });

    // Assess
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.every((r) => r.discovery.scannedPages === 1)).toBe(true);
    expect(runs.reduce((n, r) => n + r.discovery.discovered, 0)).toBe(levels.length);
    expect(after.discovery).toMatchObject({ known: 3, discovered: 0 });
    expect(after).toMatchObject({ checked: 3, consistent: 3 });
  });
});
