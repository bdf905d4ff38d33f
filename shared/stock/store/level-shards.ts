import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { toLevelShard } from '../../platform/store/records.js';
import { queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { LevelShard } from '../domain/level-shard.js';
import { buildLevelShardsQuery, buildShardMapGet } from './requests/levels.js';
import type { ShardMap } from './shard-directory.js';

/**
 * Shard routing, shared by the stores that write a level: the level's shards as read (strongly consistent), and
 * its shard map, remembered by the shard directory.
 */

/** Every shard of a level (strongly consistent). */
export async function readLevelShards(
  ctx: StoreContext,
  sku: Sku,
  locationId: LocationId,
): Promise<LevelShard[]> {
  return (await queryAll(ctx, buildLevelShardsQuery(ctx.tableName, sku, locationId))).map(toLevelShard);
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
    span: Math.max(shards.length, first.shardSpan),
  });
}

/** The level's shard map: cached, or read from shard 0 (one shard for an unsharded or new level). */
export async function shardMap(ctx: StoreContext, sku: Sku, locationId: LocationId): Promise<ShardMap> {
  const cached = ctx.directory.get(sku, locationId);
  if (cached) return cached;
  const { Item } = await ctx.client.send(new GetCommand(buildShardMapGet(ctx.tableName, sku, locationId)));
  const active = typeof Item?.shardCount === 'number' ? Item.shardCount : 1;
  const map = { active, span: typeof Item?.shardSpan === 'number' ? Item.shardSpan : active };
  ctx.directory.learn(sku, locationId, map);
  return map;
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
