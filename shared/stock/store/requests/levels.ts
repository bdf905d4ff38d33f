import type { GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { LEVEL_PREFIX, levelKey, levelPrefix, skuPartition } from '../../../platform/store/keys.js';
import { buildGet, buildPartitionQuery } from '../../../platform/store/requests/reads.js';

/** Every shard of one level (strongly consistent). */
export function buildLevelShardsQuery(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
): QueryCommandInput {
  return buildPartitionQuery(tableName, skuPartition(sku), levelPrefix(locationId));
}

/** Every shard of every level of a SKU (strongly consistent). */
export function buildSkuLevelsQuery(tableName: string, sku: Sku): QueryCommandInput {
  return buildPartitionQuery(tableName, skuPartition(sku), LEVEL_PREFIX);
}

/** One shard of a level (strongly consistent). */
export function buildLevelShardGet(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
): GetCommandInput {
  return buildGet(tableName, levelKey(sku, locationId, shard));
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
