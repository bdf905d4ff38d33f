import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyLimitError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { toLevelShard } from '../../platform/store/records.js';
import { batchGetAll, getItem, queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { LevelShard } from '../domain/level-shard.js';
import {
  beyondShardZero,
  buildLevelShardGet,
  buildShardMapGet,
  buildShardRangeBatchGets,
  buildSkuLevelsQuery,
  type ShardRange,
} from './requests/levels.js';
import {
  buildShardRegistryGet,
  registryBucketOf,
  registryName,
  shardMapsOf,
} from './requests/shard-registry.js';
import { ONE_SHARD, type ShardMap } from './shard-directory.js';

/**
 * Shard routing, shared by the stores that write a level: the level's shards as read (strongly consistent), and
 * its shard map, remembered by the shard directory.
 */

/**
 * Every shard of a level (strongly consistent): shard 0, then, only when it says the level is sharded, one batch
 * read of shards 1..span-1, which live in partitions of their own (ADR 34). Empty when the level does not exist.
 */
export async function readLevelShards(
  ctx: StoreContext,
  sku: Sku,
  locationId: LocationId,
): Promise<LevelShard[]> {
  const first = await getItem(ctx, buildLevelShardGet(ctx.tableName, sku, locationId, 0));
  if (!first) return [];
  return withFurtherShards(ctx, [toLevelShard(first)]);
}

/**
 * Every shard of every level of a SKU, by level (strongly consistent): one query of the SKU's partition finds
 * each level's shard 0, then batch reads fetch the other shards of the sharded ones.
 */
export async function readSkuLevelShards(ctx: StoreContext, sku: Sku): Promise<LevelShard[][]> {
  return completeLevels(
    ctx,
    (await queryAll(ctx, buildSkuLevelsQuery(ctx.tableName, sku))).map(toLevelShard),
  );
}

/** The levels of the given shards 0, each with its other shards (strongly consistent), by level. */
export async function completeLevels(
  ctx: StoreContext,
  firsts: readonly LevelShard[],
): Promise<LevelShard[][]> {
  const byLevel = new Map<string, LevelShard[]>();
  for (const shard of await withFurtherShards(ctx, firsts)) {
    const level = `${shard.sku}#${shard.locationId}`;
    const list = byLevel.get(level) ?? [];
    list.push(shard);
    byLevel.set(level, list);
  }
  return [...byLevel.values()];
}

/**
 * The given shards 0 and the other shards of their levels. A shard read may show a larger span than its shard 0
 * did (a rebalance applied between the two reads, and every shard it writes takes the new span): the shards
 * beyond the span first read are then read too, so that no unit moved into them is missed.
 */
async function withFurtherShards(ctx: StoreContext, firsts: readonly LevelShard[]): Promise<LevelShard[]> {
  const shards = [...firsts];
  let ranges: ShardRange[] = firsts.map(beyondShardZero);
  for (let round = 0; round < 3; round++) {
    const read: LevelShard[] = [];
    for (const input of buildShardRangeBatchGets(ctx.tableName, ranges))
      read.push(...(await batchGetAll(ctx, input)).map(toLevelShard));
    shards.push(...read);
    ranges = ranges.flatMap((range) => {
      const of = read.filter((s) => s.sku === range.sku && s.locationId === range.locationId);
      const span = Math.max(range.to, ...of.map((s) => s.shardSpan));
      return span > range.to ? [{ ...range, from: range.to, to: span }] : [];
    });
    if (ranges.length === 0) break;
  }
  return shards.sort((a, b) =>
    a.locationId === b.locationId ? a.shard - b.shard : a.locationId < b.locationId ? -1 : 1,
  );
}

/** Remembers the shard map that a read of a level's shards shows (shard 0 records it). */
export function learnShardMap(
  ctx: StoreContext,
  sku: Sku,
  locationId: LocationId,
  shards: readonly LevelShard[],
): void {
  const first = shards.find((s) => s.shard === 0);
  if (!first) return;
  ctx.directory.learn(sku, locationId, {
    active: first.shardCount,
    span: Math.max(shards.length, ...shards.map((s) => s.shardSpan)),
  });
}

/**
 * The level's shard map: remembered, or read from the registry of sharded levels (ADR 43): one read of the
 * level's bucket serves every level of the bucket for 30 s, and a level it does not list has one shard.
 */
export async function shardMap(ctx: StoreContext, sku: Sku, locationId: LocationId): Promise<ShardMap> {
  const bucket = registryBucketOf(sku, locationId);
  const known = ctx.directory.get(sku, locationId, bucket);
  if (known) return known;
  const listed = await ctx.directory.readBucket(bucket, async () => {
    const { Item } = await ctx.client.send(new GetCommand(buildShardRegistryGet(ctx.tableName, bucket)));
    return shardMapsOf(Item);
  });
  return listed.get(registryName(sku, locationId)) ?? ONE_SHARD;
}

/** Reads the level's shard map from shard 0 (eventually consistent) and remembers it. */
async function readShardMap(ctx: StoreContext, sku: Sku, locationId: LocationId): Promise<ShardMap> {
  const { Item } = await ctx.client.send(new GetCommand(buildShardMapGet(ctx.tableName, sku, locationId)));
  const active = typeof Item?.shardCount === 'number' ? Item.shardCount : 1;
  const map = { active, span: typeof Item?.shardSpan === 'number' ? Item.shardSpan : active };
  ctx.directory.learn(sku, locationId, map);
  return map;
}

/**
 * While a split of the level announced to this process is pending (ADR 36), a sale steps back: it sends nothing
 * and answers busy (a 503 with Retry-After), so that the split's transactions find the level's hot partitions
 * free. The shard map is read again at most once a second; once it shows the new count, the notice is dropped,
 * the new map is remembered and sales go on over the new shards.
 */
export async function stepBackWhileSplitting(
  ctx: StoreContext,
  sku: Sku,
  locationId: LocationId,
): Promise<void> {
  const split = ctx.notices.pending(ctx.tableName, sku, locationId);
  if (!split) return;
  if (split.due && (await readShardMap(ctx, sku, locationId)).active >= split.to) {
    ctx.notices.forget(ctx.tableName, sku, locationId);
    return;
  }
  throw new ConcurrencyLimitError(
    1,
    `this stock level is being split into ${split.to} shards to take more load; retry in a second`,
  );
}

export function randomShard(shards: number): number {
  return Math.floor(Math.random() * Math.max(1, shards));
}

/** The units the shards hold together (a negative holding counts as none). */
export function unitsHeld(holdings: ReadonlyArray<{ readonly have: number }>): number {
  let sum = 0;
  for (const { have } of holdings) sum += Math.max(0, have);
  return sum;
}
