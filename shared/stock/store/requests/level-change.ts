import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { allOf, type Condition, itemExists, itemIsNew } from '../../../platform/store/conditions.js';
import { levelKey } from '../../../platform/store/keys.js';
import { levelListingKeys } from '../../../platform/store/listing-keys.js';
import type { Item } from '../../../platform/store/records.js';
import {
  availableDeltaOf,
  type BucketDelta,
  COUNTED_BUCKETS,
  compactDelta,
} from '../../domain/stock-level.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface LevelChange {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  readonly delta: BucketDelta;
  readonly movementId: string;
  readonly at: string;
  /** Conditions beyond the level's existence, e.g. `available >= :q`. */
  readonly guards: readonly Condition[];
  /** Create the level when it does not exist yet (receive, transfer in). */
  readonly upsert: boolean;
  /** Attributes set as they are (the shard count, on a rebalance). */
  readonly set?: Readonly<Record<string, unknown>>;
  /** How many movements this write stands for (several holds merged onto one shard item): `version` grows by it. */
  readonly movements?: number;
}

type GuardedBucket = 'available' | 'onHand' | 'reserved' | 'committed' | 'unavailable' | 'incoming';

/** Guard: the bucket holds at least `quantity` units, so that taking them leaves it non-negative. */
export function atLeast(bucket: GuardedBucket, quantity: number): Condition {
  return {
    name: `${bucket}AtLeast`,
    expression: `#g_${bucket} >= :g_${bucket}`,
    names: { [`#g_${bucket}`]: bucket },
    values: { [`:g_${bucket}`]: quantity },
  };
}

export function versionIs(version: number): Condition {
  return {
    name: 'versionIs',
    expression: '#g_version = :g_version',
    names: { '#g_version': 'version' },
    values: { ':g_version': version },
  };
}

/**
 * Guard for writes that add units: the shard is one of the level's active shards. A writer whose cached shard
 * map is stale cannot put units into a shard that a rebalance retired.
 */
export function activeShard(shard: number): Condition {
  return {
    name: 'activeShard',
    expression: 'attribute_not_exists(#g_shardCount) OR #g_shardCount > :g_shard',
    names: { '#g_shardCount': 'shardCount' },
    values: { ':g_shard': shard },
  };
}

/**
 * Guard for a write that sets the level's span: the span written never shrinks. Readers find the shards beyond
 * shard 0 by its span (ADR 34), so a rebalance planned from a stale read must not hide shards that a concurrent
 * one gave units to; it fails here and is planned again.
 */
export function spanAtMost(span: number): Condition {
  return {
    name: 'spanAtMost',
    expression: 'attribute_not_exists(#g_shardSpan) OR #g_shardSpan <= :g_span',
    names: { '#g_shardSpan': 'shardSpan' },
    values: { ':g_span': span },
  };
}

/** Guard: the shard does not exist yet (a rebalance creating new shards). */
export const newShard: Condition = itemIsNew;

/**
 * One level-shard update: every changed bucket and `available` in one `ADD`, `version` bumped, the movement
 * linked. A single conditional write, never a read first.
 */
export function levelUpdate(tableName: string, change: LevelChange): TransactItem {
  const delta = compactDelta(change.delta);
  const availableDelta = availableDeltaOf(delta);
  const names: Record<string, string> = {
    '#version': 'version',
    '#updatedAt': 'updatedAt',
    '#lastMovementId': 'lastMovementId',
  };
  const values: Record<string, unknown> = {
    ':one': change.movements ?? 1,
    ':at': change.at,
    ':mid': change.movementId,
  };
  const adds = ['#version :one'];
  const sets = ['#updatedAt = :at', '#lastMovementId = :mid'];

  for (const bucket of [...COUNTED_BUCKETS, 'available'] as const) {
    const n = bucket === 'available' ? availableDelta : (delta[bucket] ?? 0);
    if (n !== 0) {
      names[`#${bucket}`] = bucket;
      adds.push(`#${bucket} :d_${bucket}`);
      values[`:d_${bucket}`] = n;
    } else if (change.upsert) {
      names[`#${bucket}`] = bucket;
      sets.push(`#${bucket} = if_not_exists(#${bucket}, :zero)`);
      values[':zero'] = 0;
    }
  }
  if (change.upsert) {
    for (const [attr, value] of [
      ['kind', 'Level'],
      ['sku', change.sku],
      ['locationId', change.locationId],
      ['shard', change.shard],
    ] as const) {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      sets.push(`#${attr} = if_not_exists(#${attr}, :${attr})`);
    }
  }
  if (change.upsert && change.shard === 0) {
    // Shard 0 is where a level is created: its listing keys and first-seen time, set once (docs/data-model.md).
    const created: [string, string][] = [
      ...Object.entries(levelListingKeys(change.sku, change.locationId)),
      ['createdAt', change.at],
    ];
    for (const [attr, value] of created) {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      sets.push(`#${attr} = if_not_exists(#${attr}, :${attr})`);
    }
  }
  for (const [attr, value] of Object.entries(change.set ?? {})) {
    names[`#s_${attr}`] = attr;
    values[`:s_${attr}`] = value;
    sets.push(`#s_${attr} = :s_${attr}`);
  }

  const condition = allOf(change.upsert ? change.guards : [itemExists, ...change.guards]);
  return {
    Update: {
      TableName: tableName,
      Key: levelKey(change.sku, change.locationId, change.shard),
      UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
      ...(condition.expression ? { ConditionExpression: condition.expression } : {}),
      ExpressionAttributeNames: { ...names, ...condition.names },
      ExpressionAttributeValues: { ...values, ...condition.values },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Puts an item that must not exist yet (a movement, a reservation, an idempotency record). */
export function putNew(tableName: string, item: Item): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ConditionExpression: itemIsNew.expression,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
