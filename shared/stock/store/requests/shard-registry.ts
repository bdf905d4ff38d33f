import type { GetCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../../kernel/fingerprint.js';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { allOf, type Condition, itemExists } from '../../../platform/store/conditions.js';
import { levelKey, shardRegistryKey } from '../../../platform/store/keys.js';
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

/** The level a `registryName` names. */
export function levelOfRegistryName(name: string): { sku: Sku; locationId: LocationId } {
  const [sku = '', locationId = ''] = name.split('#');
  return { sku: sku as Sku, locationId: locationId as LocationId };
}

/** The level's bucket, by a hash of its name, so that every process agrees without a read. */
export const registryBucketOf = (sku: Sku, locationId: LocationId): number =>
  bucketOf(registryName(sku, locationId), SHARD_REGISTRY_BUCKETS);

/**
 * A bucket of the registry, eventually consistent: a stale registry is as safe as a stale shard directory. The
 * repair reads it strongly consistent, so as not to write again an entry a rebalance has just written.
 */
export function buildShardRegistryGet(
  tableName: string,
  bucket: number,
  options: { readonly consistent?: boolean } = {},
): GetCommandInput {
  return {
    TableName: tableName,
    Key: shardRegistryKey(bucket),
    ...(options.consistent ? { ConsistentRead: true } : {}),
  };
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

/** Guard: shard 0 records `active` active shards (an absent count is one). */
export function shardCountIs(active: number): Condition {
  const is = '#g_shardCount = :g_active';
  return {
    name: 'shardCountIs',
    expression: active === 1 ? `attribute_not_exists(#g_shardCount) OR ${is}` : is,
    names: { '#g_shardCount': 'shardCount' },
    values: { ':g_active': active },
  };
}

/** Guard: shard 0 records a span of `span` shards (an absent span is the count, which `shardCountIs` guards). */
export function shardSpanIs(map: ShardMap): Condition {
  const is = '#g_shardSpan = :g_span';
  return {
    name: 'shardSpanIs',
    expression: map.span === map.active ? `attribute_not_exists(#g_shardSpan) OR ${is}` : is,
    names: { '#g_shardSpan': 'shardSpan' },
    values: { ':g_span': map.span },
  };
}

/**
 * The repair of a level's registry entry (ADR 43, "Repair"): one transaction that asserts the map its shard 0
 * was read with, and sets the entry to that map (or removes it, for one shard with no retired one). If a
 * rebalance changed shard 0 since the read, the check fails and nothing is written; a rebalance after it writes
 * its own entry in its own transaction. The entry's current value is not asserted: the map comes from shard 0,
 * which decides.
 */
export function buildShardRegistryRepair(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  map: ShardMap,
): TransactWriteCommandInput {
  const guard = allOf([itemExists, shardCountIs(map.active), shardSpanIs(map)]);
  const [entry] = shardRegistryStep(tableName, sku, locationId, map);
  return {
    TransactItems: [
      {
        ConditionCheck: {
          TableName: tableName,
          Key: levelKey(sku, locationId, 0),
          ConditionExpression: guard.expression,
          ExpressionAttributeNames: guard.names,
          ExpressionAttributeValues: guard.values,
        },
      },
      entry,
    ],
  };
}
