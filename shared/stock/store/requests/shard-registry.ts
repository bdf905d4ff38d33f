import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../../kernel/fingerprint.js';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { shardRegistryKey } from '../../../platform/store/keys.js';
import type { Item } from '../../../platform/store/records.js';
import type { ShardMap } from '../shard-directory.js';
import type { TransactItem } from './level-change.js';
import type { Step } from './plan.js';

/**
 * The registry of sharded levels (ADR 43): SHARD_REGISTRY_BUCKETS items, each listing the shard maps of the
 * sharded levels that hash to it, one attribute per level named `{sku}#{locationId}` (identifiers never contain
 * `#`, so no name collides with the item's keys). A level absent from its bucket has one shard.
 */
export const SHARD_REGISTRY_BUCKETS = 16;

export const registryName = (sku: Sku, locationId: LocationId): string => `${sku}#${locationId}`;

/** The level's bucket, by a hash of its name, so that every process agrees without a read. */
export const registryBucketOf = (sku: Sku, locationId: LocationId): number =>
  bucketOf(registryName(sku, locationId), SHARD_REGISTRY_BUCKETS);

/** A bucket of the registry, eventually consistent: a stale registry is as safe as a stale shard directory. */
export function buildShardRegistryGet(tableName: string, bucket: number): GetCommandInput {
  return { TableName: tableName, Key: shardRegistryKey(bucket) };
}

/** The shard maps a bucket lists, by level name; attributes that are not a level's map are skipped. */
export function shardMapsOf(item: Item | undefined): Map<string, ShardMap> {
  const maps = new Map<string, ShardMap>();
  for (const [name, value] of Object.entries(item ?? {})) {
    if (!name.includes('#') || !value || typeof value !== 'object') continue;
    const { active, span } = value as Record<string, unknown>;
    if (typeof active === 'number' && typeof span === 'number') maps.set(name, { active, span });
  }
  return maps;
}

/**
 * The registry's part of the transaction that sets the level's shard map on its shard 0 (a rebalance's last):
 * the level's entry takes the same map, or leaves the bucket when the level is back to one shard with no other.
 * Unconditional: the transaction's shard guards decide whether it applies, and with it this entry.
 */
export function shardRegistryStep(tableName: string, sku: Sku, locationId: LocationId, map: ShardMap): Step {
  const key = shardRegistryKey(registryBucketOf(sku, locationId));
  const names = { '#level': registryName(sku, locationId) };
  const item: TransactItem =
    map.active === 1 && map.span === 1
      ? {
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: 'REMOVE #level',
            ExpressionAttributeNames: names,
          },
        }
      : {
          Update: {
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #level = :map, kind = :kind',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ':map': { active: map.active, span: map.span },
              ':kind': 'ShardRegistry',
            },
          },
        };
  return [item, { role: 'shard-registry' }];
}
