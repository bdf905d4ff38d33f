import { afterAll, describe, expect, it } from 'vitest';
import { ThroughputSimulation } from '../../infra/local/throttling/throughput-simulation.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock, systemClock } from '../../shared/kernel/clock.js';
import { flushContention } from '../../shared/platform/store/contention.js';
import { autoShardLevels } from '../../shared/stock/use-cases/auto-sharding.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { throttledDeps } from '../support/throttled.js';

const policy = { splitAbovePerShardPerSecond: 0.01, mergeAfterQuietMs: 10 * 60_000, maxShards: 64 };

const { table, deps } = useTestTable({ clock: new ManualClock(Date.now()) });
const { deps: throttled, client } = throttledDeps(
  table,
  deps,
  new ThroughputSimulation({ factor: 0.01, partitions: 'partition-key' }, systemClock),
  { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
);
afterAll(() => client.destroy());

describe('automatic sharding', () => {
  it('splits a level its reserves were throttled on, then merges it back once it has been quiet, losing no unit', async () => {
    // Prepare: a sale on one shard, over its (simulated) limit: reserves retried for throttling.
    const level = await aStockedLevel(deps, 200);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, () => reserveStock(throttled, { ...level, quantity: 1 }, aPrincipal())),
    );
    await flushContention(client, deps.clock.now());
    const held = outcomes.filter((o) => o.status === 'fulfilled').length;

    // Act
    deps.clock.advance(60_000);
    const split = await autoShardLevels(deps, policy);

    // Assess
    expect(split.changes).toEqual([
      expect.objectContaining({
        sku: level.sku,
        locationId: level.locationId,
        action: 'split',
        from: 1,
        to: 2,
      }),
    ]);
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({
      shards: 2,
      onHand: 200,
      reserved: held,
    });
    await expectLevelConsistent(deps, level.sku, level.locationId);

    // Act: nothing contended since, for longer than the quiet time
    deps.clock.advance(11 * 60_000);
    const merge = await autoShardLevels(deps, policy);

    // Assess
    expect(merge.changes).toEqual([expect.objectContaining({ action: 'merge', from: 2, to: 1 })]);
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({
      shards: 1,
      onHand: 200,
      reserved: held,
    });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });

  it('leaves a level alone when nothing new was contended since the last look and it is not quiet long enough', async () => {
    // Act
    deps.clock.advance(60_000);
    const report = await autoShardLevels(deps, policy);

    // Assess
    expect(report.changes).toEqual([]);
  });
});
