import { afterAll, describe, expect, it } from 'vitest';
import { ThroughputSimulation } from '../../infra/local/throttling/throughput-simulation.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { throttledDeps } from '../support/throttled.js';

/**
 * A sale under the simulation's `partition-key` mode: every partition key value is one partition, as on a cold
 * table, with no split for heat (ADR 30, ADR 34). The simulation's clock is frozen and moved by hand, so what a
 * level serves in a simulated second is its buckets' capacity, not this machine's speed: at limits x0.01 an item
 * and a partition take 10 WCU per second, and a reserve puts 2 WCU on its shard's level item, its shard's partition
 * and its shard's ledger, so each shard that has a partition of its own serves 5 reserves per second.
 */
const FACTOR = 0.01;
const RESERVES_PER_SHARD_PER_SECOND = (1_000 * FACTOR) / 2;

const { table, deps } = useTestTable();
const clock = new ManualClock();
const simulation = new ThroughputSimulation({ factor: FACTOR, partitions: 'partition-key' }, clock);
const { deps: throttled, client } = throttledDeps(table, deps, simulation, {
  attempts: 2,
  baseDelayMs: 1,
  maxDelayMs: 2,
});
afterAll(() => client.destroy());

/**
 * Reserves one unit `attempts` times at once (each buyer its own), in each of `seconds` seconds of the simulation's
 * clock; the reserves that succeeded in each second. The buyers pick a random shard, so there are 20 attempts per
 * shard per second: far more than a shard's 5, so that every shard is asked until its capacity is spent.
 */
async function sale(level: { sku: Sku; locationId: LocationId }, shards: number, seconds: number) {
  const served: number[] = [];
  for (let s = 0; s < seconds; s++) {
    clock.advance(1_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 * shards }, () =>
        reserveStock(throttled, { ...level, quantity: 1 }, aPrincipal()),
      ),
    );
    served.push(outcomes.filter((o) => o.status === 'fulfilled').length);
  }
  return served;
}

describe('a flash sale when every partition key is one partition', () => {
  it('serves as many reserves per second as the level has shards, each shard in a partition of its own', async () => {
    // Prepare: the same stock on 1 shard and on 4
    const one = await aStockedLevel(deps, 1_000);
    const four = await aStockedLevel(deps, 1_000, undefined, undefined, 4);

    // Act
    const servedByOne = await sale(one, 1, 2);
    const servedByFour = await sale(four, 4, 2);

    // Assess: with one partition key for the level's shards (as before ADR 34), four shards would serve what one
    // serves.
    expect(servedByOne).toEqual([RESERVES_PER_SHARD_PER_SECOND, RESERVES_PER_SHARD_PER_SECOND]);
    expect(servedByFour).toEqual([4 * RESERVES_PER_SHARD_PER_SECOND, 4 * RESERVES_PER_SHARD_PER_SECOND]);
    expect(await readLevel(deps, four.sku, four.locationId)).toMatchObject({
      reserved: 8 * RESERVES_PER_SHARD_PER_SECOND,
      available: 1_000 - 8 * RESERVES_PER_SHARD_PER_SECOND,
    });
    await expectLevelConsistent(deps, four.sku, four.locationId);
  });
});
