import type { BatchGetCommandInput, GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { type Key, LEVEL_PREFIX, levelKey, skuPartition } from '../../../platform/store/keys.js';
import { buildBatchGet, buildGet, buildPartitionQuery } from '../../../platform/store/requests/reads.js';

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_BATCH_GET = 100;

/**
 * Shard 0 of every level of a SKU (strongly consistent): they share the SKU's partition. The other shards of a
 * sharded level live in partitions of their own (ADR 34): see `buildShardRangeBatchGets`.
 */
export function buildSkuLevelsQuery(tableName: string, sku: Sku): QueryCommandInput {
  return buildPartitionQuery(tableName, skuPartition(sku), LEVEL_PREFIX);
}

/** One shard of a level (strongly consistent); shard 0 is where a level's read starts. */
export function buildLevelShardGet(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
): GetCommandInput {
  return buildGet(tableName, levelKey(sku, locationId, shard));
}

/** Shards `from`..`to`-1 of a level. */
export interface ShardRange {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly from: number;
  readonly to: number;
}

/** The shards of a level beyond shard 0, as its shard 0 tells them (its span: every shard that exists). */
export const beyondShardZero = (first: {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shardSpan: number;
}): ShardRange => ({ sku: first.sku, locationId: first.locationId, from: 1, to: first.shardSpan });

/** The keys of the shards of each range, in range then shard order. */
export function shardRangeKeys(ranges: readonly ShardRange[]): Key[] {
  return ranges.flatMap((r) =>
    Array.from({ length: Math.max(0, r.to - r.from) }, (_, i) => levelKey(r.sku, r.locationId, r.from + i)),
  );
}

/**
 * The strongly consistent batch reads of the shards of the given ranges, at most 100 keys each: none for the
 * shards beyond shard 0 of an unsharded level, one for a level of up to 64 shards. Shards n > 0 live in
 * partitions of their own (ADR 34), so a sharded level is read by key, not by one query.
 */
export function buildShardRangeBatchGets(
  tableName: string,
  ranges: readonly ShardRange[],
): BatchGetCommandInput[] {
  const keys = shardRangeKeys(ranges);
  const batches: BatchGetCommandInput[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_BATCH_GET)
    batches.push(buildBatchGet(tableName, keys.slice(i, i + KEYS_PER_BATCH_GET)));
  return batches;
}

/**
 * The shard map a level's shard 0 records (its active shards and span), eventually consistent: a stale map is
 * safe, as every write is guarded by the shards it touches.
 */
export function buildShardMapGet(tableName: string, sku: Sku, locationId: LocationId): GetCommandInput {
  return {
    TableName: tableName,
    Key: levelKey(sku, locationId, 0),
    ProjectionExpression: 'shardCount, shardSpan',
  };
}
