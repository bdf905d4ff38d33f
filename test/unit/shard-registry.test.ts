import { describe, expect, it } from 'vitest';
import { parseLocationId, parsePrincipalId, parseSku } from '../../shared/kernel/identifiers.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import { buildRebalance } from '../../shared/stock/store/requests/rebalance.js';
import {
  buildShardRegistryGet,
  buildShardRegistryRepair,
  levelOfRegistryName,
  registryBucketOf,
  registryName,
  SHARD_REGISTRY_BUCKETS,
  shardMapsOf,
  shardRegistryStep,
} from '../../shared/stock/store/requests/shard-registry.js';
import { ShardDirectory, type ShardMap } from '../../shared/stock/store/shard-directory.js';
import { aLevelShard } from '../support/level-shard.js';

const sku = parseSku('SKU-1');
const locationId = parseLocationId('WH-1');
const context = {
  actor: parsePrincipalId('clerk'),
  at: '2026-11-21T09:00:00.000Z',
  reason: 'test',
  reference: null,
};
const M1 = '01JABCDEFGHJKMNPQRSTVWXYZ1';
const T = 'inventory';

const shard0 = (available: number, shardCount: number): LevelShard =>
  aLevelShard({ sku, locationId, available, shardCount });

describe('the registry of sharded levels, as requests', () => {
  it('puts the level in its bucket with its map, in the last transaction of a split only', () => {
    // Act
    const plans = buildRebalance(T, { sku, locationId, shards: 64, movementId: M1, context }, [
      shard0(6400, 1),
    ]);

    // Assess
    const registryItems = plans.map((p) => p.roles.filter((r) => r.role === 'shard-registry').length);
    expect(registryItems).toEqual([...plans.slice(1).map(() => 0), 1]);
    const last = plans[plans.length - 1];
    const update = last?.items[last.roles.findIndex((r) => r.role === 'shard-registry')]?.Update;
    expect(update).toMatchObject({
      Key: { pk: `SHARDED#${registryBucketOf(sku, locationId)}`, sk: 'SHARDED' },
      UpdateExpression: 'SET #level = :map, kind = :kind',
      ExpressionAttributeNames: { '#level': 'SKU-1#WH-1' },
      ExpressionAttributeValues: { ':map': { active: 64, span: 64 } },
    });
    for (const planned of plans) expect(planned.items.length).toBeLessThanOrEqual(100);
  });

  it('keeps a level merged back to one shard listed while retired shards exist, and removes one with none', () => {
    // Act
    const [kept] = shardRegistryStep(T, sku, locationId, { active: 1, span: 4 });
    const [removed] = shardRegistryStep(T, sku, locationId, { active: 1, span: 1 });

    // Assess
    expect(kept.Update?.ExpressionAttributeValues).toMatchObject({ ':map': { active: 1, span: 4 } });
    expect(removed.Update).toMatchObject({ UpdateExpression: 'REMOVE #level' });
    expect(removed.Update?.ExpressionAttributeValues).toBeUndefined();
  });

  it('reads the maps of a bucket, skipping the attributes that are not a level map', () => {
    const maps = shardMapsOf({
      pk: 'SHARDED#3',
      sk: 'SHARDED',
      kind: 'ShardRegistry',
      'SKU-1#WH-1': { active: 4, span: 4 },
      'SKU-2#WH-1': { active: 1, span: 8 },
      'SKU-3#WH-1': 'broken',
    });
    expect([...maps]).toEqual([
      ['SKU-1#WH-1', { active: 4, span: 4 }],
      ['SKU-2#WH-1', { active: 1, span: 8 }],
    ]);
    expect(shardMapsOf(undefined).size).toBe(0);
  });

  it('spreads levels over every bucket', () => {
    const buckets = new Set(
      Array.from({ length: 400 }, (_, i) => registryBucketOf(parseSku(`SKU-${i}`), locationId)),
    );
    expect(buckets.size).toBe(SHARD_REGISTRY_BUCKETS);
  });
});

describe('the repair of a registry entry, as a request', () => {
  it('checks that shard 0 still shows the map read, and sets the entry to it, in one transaction', () => {
    // Act
    const repair = buildShardRegistryRepair(T, sku, locationId, { active: 2, span: 4 });

    // Assess
    const [check, entry] = repair.TransactItems ?? [];
    expect(repair.TransactItems).toHaveLength(2);
    expect(check?.ConditionCheck).toEqual({
      TableName: T,
      Key: { pk: 'SKU#SKU-1', sk: 'LEVEL#WH-1#0' },
      ConditionExpression:
        '(attribute_exists(pk)) AND (#g_shardCount = :g_active) AND (#g_shardSpan = :g_span)',
      ExpressionAttributeNames: { '#g_shardCount': 'shardCount', '#g_shardSpan': 'shardSpan' },
      ExpressionAttributeValues: { ':g_active': 2, ':g_span': 4 },
    });
    expect(entry?.Update).toMatchObject({
      Key: { pk: `SHARDED#${registryBucketOf(sku, locationId)}`, sk: 'SHARDED' },
      UpdateExpression: 'SET #level = :map, kind = :kind',
      ExpressionAttributeNames: { '#level': 'SKU-1#WH-1' },
      ExpressionAttributeValues: { ':map': { active: 2, span: 4 } },
    });
  });

  it('takes an absent count as one shard and an absent span as the count, as shard 0 is read', () => {
    // Act
    const [single] = buildShardRegistryRepair(T, sku, locationId, { active: 1, span: 1 }).TransactItems ?? [];
    const [split] = buildShardRegistryRepair(T, sku, locationId, { active: 4, span: 4 }).TransactItems ?? [];

    // Assess
    expect(single?.ConditionCheck?.ConditionExpression).toBe(
      '(attribute_exists(pk)) AND (attribute_not_exists(#g_shardCount) OR #g_shardCount = :g_active) AND ' +
        '(attribute_not_exists(#g_shardSpan) OR #g_shardSpan = :g_span)',
    );
    expect(split?.ConditionCheck?.ConditionExpression).toBe(
      '(attribute_exists(pk)) AND (#g_shardCount = :g_active) AND ' +
        '(attribute_not_exists(#g_shardSpan) OR #g_shardSpan = :g_span)',
    );
  });

  it('removes the entry of a level with one shard and no retired one', () => {
    const [, entry] =
      buildShardRegistryRepair(T, sku, locationId, { active: 1, span: 1 }).TransactItems ?? [];
    expect(entry?.Update).toMatchObject({ UpdateExpression: 'REMOVE #level' });
  });

  it('reads a bucket strongly consistent for the repair, eventually consistent for routing', () => {
    expect(buildShardRegistryGet(T, 3, { consistent: true })).toEqual({
      TableName: T,
      Key: { pk: 'SHARDED#3', sk: 'SHARDED' },
      ConsistentRead: true,
    });
    expect(buildShardRegistryGet(T, 3).ConsistentRead).toBeUndefined();
  });

  it('names the level of an entry back from its attribute name', () => {
    expect(levelOfRegistryName(registryName(sku, locationId))).toEqual({ sku, locationId });
  });
});

describe('the shard directory with the registry', () => {
  const FOUR: ShardMap = { active: 4, span: 4 };

  it('says one shard for a level its bucket does not list, and nothing once the bucket is 30 s old', () => {
    // Prepare
    let now = 1_000;
    const directory = new ShardDirectory(30_000, () => now);

    // Act
    const unknown = directory.get(sku, locationId, 2);
    directory.learnBucket(2, new Map([['SKU-9#WH-1', FOUR]]));
    const listedElsewhere = directory.get(parseSku('SKU-9'), locationId, 2);
    const unlisted = directory.get(sku, locationId, 2);
    now += 30_001;
    const stale = directory.get(sku, locationId, 2);

    // Assess
    expect(unknown).toBeUndefined();
    expect(listedElsewhere).toEqual(FOUR);
    expect(unlisted).toEqual({ active: 1, span: 1 });
    expect(stale).toBeUndefined();
  });

  it('prefers what it learned of the level itself over its bucket', () => {
    const directory = new ShardDirectory(30_000, () => 0);
    directory.learnBucket(2, new Map());
    directory.learn(sku, locationId, FOUR);
    expect(directory.get(sku, locationId, 2)).toEqual(FOUR);
  });

  it('reads a bucket once for callers that miss it at the same time', async () => {
    // Prepare
    const directory = new ShardDirectory(30_000, () => 0);
    let reads = 0;
    let answer: (maps: Map<string, ShardMap>) => void = () => {};
    const read = () => {
      reads++;
      return new Promise<Map<string, ShardMap>>((resolve) => {
        answer = resolve;
      });
    };

    // Act
    const callers = Array.from({ length: 5 }, () => directory.readBucket(7, read));
    answer(new Map([['SKU-1#WH-1', FOUR]]));
    const results = await Promise.all(callers);

    // Assess
    expect(reads).toBe(1);
    expect(results.map((r) => r.get('SKU-1#WH-1'))).toEqual([FOUR, FOUR, FOUR, FOUR, FOUR]);
    expect(directory.get(sku, locationId, 7)).toEqual(FOUR);
  });
});
