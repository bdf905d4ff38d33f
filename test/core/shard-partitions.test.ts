import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { transact } from '../../shared/platform/store/transact.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import { buildRebalance } from '../../shared/stock/store/requests/rebalance.js';
import { readAvailability, readLevel } from '../../shared/stock/use-cases/reads.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/** ADR 34: shard 0 of every level in the SKU's partition, every other shard in a partition of its own. */
const { table, deps } = useTestTable();

/** The transactions a clerk's rebalance of a level to `shards` shards plans from the shards read as `current`. */
function rebalanceOf(
  level: { sku: Sku; locationId: LocationId },
  shards: number,
  current: readonly LevelShard[],
) {
  return buildRebalance(
    table.tableName,
    {
      ...level,
      shards,
      movementId: deps.ids.next(),
      context: {
        actor: WAREHOUSE_CLERK,
        at: new Date(deps.clock.now()).toISOString(),
        reason: 'test',
        reference: null,
      },
    },
    current,
  );
}

describe('the partitions of a sharded level', () => {
  it('keeps shard 0 of every location in the SKU partition and each other shard in a partition of its own', async () => {
    // Prepare: one SKU at two locations, sharded 4 ways at the first
    const sku = aSku();
    const sharded = await aStockedLevel(deps, 40, sku, undefined, 4);
    const plain = await aStockedLevel(deps, 5, sku);

    // Act
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SKU#${sku}` },
        ConsistentRead: true,
      }),
    );
    const others = await Promise.all(
      [1, 2, 3].map((n) =>
        table.client.send(
          new GetCommand({
            TableName: table.tableName,
            Key: { pk: `SKU#${sku}#${sharded.locationId}#${n}`, sk: `LEVEL#${sharded.locationId}#${n}` },
            ConsistentRead: true,
          }),
        ),
      ),
    );

    // Assess
    expect(Items?.map((i) => [i.locationId, i.shard]).sort()).toEqual(
      [
        [plain.locationId, 0],
        [sharded.locationId, 0],
      ].sort(),
    );
    expect(others.map((o) => [o.Item?.shard, o.Item?.onHand])).toEqual([
      [1, 10],
      [2, 10],
      [3, 10],
    ]);
  });

  it('reads a SKU at every location with the units of every shard', async () => {
    // Prepare: 64 shards at one location, 3 at another, one at a third
    const sku = aSku();
    const wide = await aStockedLevel(deps, 640, sku, undefined, 64);
    const narrow = await aStockedLevel(deps, 30, sku, undefined, 3);
    const plain = await aStockedLevel(deps, 7, sku);

    // Act
    const levels = await readAvailability(deps, sku);

    // Assess
    const byLocation = new Map(levels.locations.map((l) => [l.locationId, l]));
    expect(byLocation.get(wide.locationId)).toMatchObject({ onHand: 640, available: 640 });
    expect(byLocation.get(narrow.locationId)).toMatchObject({ onHand: 30, available: 30 });
    expect(byLocation.get(plain.locationId)).toMatchObject({ onHand: 7, available: 7 });
    expect(levels.locations).toHaveLength(3);
  });

  it('counts every unit of a level whose split stopped after its first transaction', async () => {
    // Prepare: a split of one shard into 64 takes two transactions; only the first applies (a crash).
    const { sku, locationId } = await aStockedLevel(deps, 6400);
    const current = await deps.levels.getLevelShards(sku, locationId);
    const plans = rebalanceOf({ sku, locationId }, 64, current);
    expect(plans.length).toBeGreaterThan(1);
    expect((await transact(table.client, plans[0] as (typeof plans)[number])).kind).toBe('applied');

    // Act
    const level = await readLevel(deps, sku, locationId);

    // Assess: the units moved to new shards are read, though shard 0 still says the level has one shard.
    expect(level).toMatchObject({ onHand: 6400, available: 6400, shards: 1 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('keeps every unit in sight when a rebalance planned from a stale read lands after a split', async () => {
    // Prepare: a rebalance to 2 shards planned while the level had 1 unit on 1 shard (it moves nothing, so no
    // unit guard stops it), then the level gets 7 more units and is split into 4 shards by someone else
    const { sku, locationId } = await aStockedLevel(deps, 1);
    const stale = rebalanceOf({ sku, locationId }, 2, await deps.levels.getLevelShards(sku, locationId));
    await receiveStock(deps, { sku, locationId, quantity: 7 }, { actor: WAREHOUSE_CLERK, reason: 'test' });
    await shardLevel(deps, { sku, locationId, shards: 4 }, WAREHOUSE_CLERK);

    // Act
    const outcomes = [];
    for (const planned of stale) outcomes.push((await transact(table.client, planned)).kind);

    // Assess: the stale plan is refused (it would have shrunk the span to 2, hiding shards 2 and 3)
    expect(outcomes).toEqual(['stale-shard-map']);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 8, available: 8, shards: 4 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('reads a level that is not there as missing, with no read of other shards', async () => {
    // Prepare
    const locationId = await aLocation(deps);

    // Act
    const shards = await deps.levels.getLevelShards(aSku(), locationId);

    // Assess
    expect(shards).toEqual([]);
  });
});
