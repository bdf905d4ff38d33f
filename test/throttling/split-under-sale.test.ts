import { afterAll, describe, expect, it } from 'vitest';
import { ThroughputSimulation } from '../../infra/local/throttling/throughput-simulation.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { ConcurrencyLimitError } from '../../shared/kernel/errors.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { ulidSource } from '../../shared/kernel/ids.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { flushContention } from '../../shared/platform/store/contention.js';
import { SplitNotices } from '../../shared/platform/store/split-notices.js';
import { DEFAULT_RETRY } from '../../shared/platform/store/transact.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';
import { autoShardLevels } from '../../shared/stock/use-cases/auto-sharding.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { throttledDeps } from '../support/throttled.js';

/**
 * The automatic split of a level whose sale is already at its hot shard's limit (ADR 36): the split must write
 * that shard, whose partition the buyers keep full. Limits x0.01 (one shard serves 5 reserves per second), on a
 * simulation clock moved by hand: it stands still while 64 buyers spend the shard's capacity, so that whoever
 * asks first when it moves is not left to chance: the split can take the capacity only if the buyers stepped back.
 */
const policy = { splitAbovePerShardPerSecond: 0.01, mergeAfterQuietMs: 10 * 60_000, maxShards: 64 };
const BUYERS = 64;

const { table, deps } = useTestTable({ clock: new ManualClock(Date.now()) });
const simulationClock = new ManualClock();
const throttled = throttledDeps(
  table,
  deps,
  new ThroughputSimulation({ factor: 0.01, partitions: 'partition-key' }, simulationClock),
  DEFAULT_RETRY,
);
afterAll(() => throttled.client.destroy());

/** Lets the buyers run a while (polling, not timing: nothing asserted depends on how long). */
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Buyers each reserving one unit again as soon as answered, until stopped; `stop` gives the holds made. */
function startSale(on: UseCaseDeps, level: { sku: Sku; locationId: LocationId }, buyers: number) {
  let selling = true;
  let held = 0;
  let refused = 0;
  const steppedBack = new Set<number>();
  const loops = Array.from({ length: buyers }, async (_, buyer) => {
    while (selling) {
      try {
        await reserveStock(on, { ...level, quantity: 1 }, aPrincipal());
        held++;
      } catch (error) {
        if (!(error instanceof ConcurrencyLimitError)) throw error;
        refused++;
        if (error.message.includes('being split')) steppedBack.add(buyer);
        // Asks again at once, as an impatient storefront does, but through the event loop as a request would.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  });
  return {
    refused: () => refused,
    /** How many buyers have been told to step back (each one's earlier request has ended). */
    steppedBack: () => steppedBack.size,
    stop: async () => {
      selling = false;
      await Promise.all(loops);
      return held;
    },
  };
}

describe('a split under a sale at the hot shard limit', () => {
  it('splits the level while its buyers keep asking, because they step back from it until the split has landed', async () => {
    // Prepare: one shard, its capacity spent, its buyers refused for contention
    const level = await aStockedLevel(deps, 10_000);
    const sale = startSale(throttled.deps, level, BUYERS);
    while (sale.refused() < BUYERS) await pause();
    await flushContention(throttled.client);
    deps.clock.set(Date.now());

    // Act: the job runs while the sale goes on; the shard's capacity comes back once every buyer has stepped
    // back (or the job gave up)
    let settled = false;
    const job = autoShardLevels(throttled.deps, policy)
      .catch((error: Error) => error)
      .finally(() => {
        settled = true;
      });
    while (!settled && sale.steppedBack() < BUYERS) await pause();
    simulationClock.advance(2_000);
    const report = await job;
    const held = await sale.stop();
    if (report instanceof Error) throw report;

    // Assess
    expect(report.changes).toEqual([
      expect.objectContaining({ sku: level.sku, action: 'split', from: 1, to: 2 }),
    ]);
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({
      shards: 2,
      onHand: 10_000,
      reserved: held,
    });
    expect(sale.steppedBack()).toBe(BUYERS);
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });
});

describe('a reserve of a level whose split was announced', () => {
  /** The stores of the test table with notices of their own, on a clock moved by hand. */
  function withNotices() {
    let now = Date.now();
    const notices = new SplitNotices(() => now, 1_000);
    const stores: UseCaseDeps = {
      ...createDynamoStores({ client: table.client, tableName: table.tableName, notices }),
      clock: deps.clock,
      ids: ulidSource(deps.clock),
      holdPolicy: deps.holdPolicy,
    };
    return { notices, stores, advance: (ms: number) => (now += ms), now: () => now };
  }

  /** A reserve of one unit of the level: its answer, or the error it was refused with. */
  const attemptReserve = (on: UseCaseDeps, level: { sku: Sku; locationId: LocationId }) =>
    reserveStock(on, { ...level, quantity: 1 }, aPrincipal()).catch((error: Error) => error);

  it('answers busy without taking a unit until the split has landed, then sells over the new shards', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 40);
    const { notices, stores, advance, now } = withNotices();
    notices.learn(table.tableName, level.sku, level.locationId, 4, now() + 20_000);

    // Act: refused while the level still has one shard
    const whilePending = await attemptReserve(stores, level);
    await shardLevel(deps, { ...level, shards: 4 }, WAREHOUSE_CLERK);
    const beforeNextLook = await attemptReserve(stores, level);
    advance(1_000);
    await reserveStock(stores, { ...level, quantity: 1 }, aPrincipal());

    // Assess
    expect(whilePending).toBeInstanceOf(ConcurrencyLimitError);
    expect(whilePending).toMatchObject({ message: expect.stringContaining('split into 4 shards') });
    expect(beforeNextLook).toBeInstanceOf(ConcurrencyLimitError);
    expect(notices.pending(table.tableName, level.sku, level.locationId)).toBeUndefined();
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({
      shards: 4,
      onHand: 40,
      reserved: 1,
    });
  });

  it('sells again once the notice expires, even if the split never landed', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 40);
    const { notices, stores, advance, now } = withNotices();
    notices.learn(table.tableName, level.sku, level.locationId, 2, now() + 20_000);
    const whilePending = await attemptReserve(stores, level);

    // Act
    advance(20_000);
    await reserveStock(stores, { ...level, quantity: 1 }, aPrincipal());

    // Assess
    expect(whilePending).toBeInstanceOf(ConcurrencyLimitError);
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({ shards: 1, reserved: 1 });
  });
});
