import type { GetCommandInput, PutCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import {
  checkpointKey,
  checkpointPartition,
  ledgerPartition,
  RECONCILE_SWEEP_KEY,
} from '../../../platform/store/keys.js';
import { buildGet, buildPartitionQuery } from '../../../platform/store/requests/reads.js';
import type { Checkpoint } from '../../domain/checkpoint.js';
import type { LevelShardRef } from '../ledger-store.js';

/** A level shard's reconciliation checkpoint (strongly consistent). */
export function buildCheckpointGet(tableName: string, ref: LevelShardRef): GetCommandInput {
  return buildGet(tableName, checkpointKey(ref.sku, ref.locationId, ref.shard));
}

/**
 * Writes a checkpoint. `first`: only if the shard has none (a directory entry, never overwriting a verified one);
 * otherwise only if it does not move an existing checkpoint's boundary down (two runs at once: the later boundary
 * stays).
 */
export function buildCheckpointPut(tableName: string, c: Checkpoint, first = false): PutCommandInput {
  return {
    TableName: tableName,
    Item: {
      ...checkpointKey(c.sku, c.locationId, c.shard),
      kind: 'Checkpoint',
      sku: c.sku,
      locationId: c.locationId,
      shard: c.shard,
      boundary: c.boundary,
      count: c.count,
      buckets: c.buckets,
      verifiedVersion: c.verifiedVersion,
      verifiedAt: c.verifiedAt,
    },
    ConditionExpression: first
      ? 'attribute_not_exists(pk)'
      : 'attribute_not_exists(pk) OR #boundary <= :boundary',
    ...(first
      ? {}
      : {
          ExpressionAttributeNames: { '#boundary': 'boundary' },
          ExpressionAttributeValues: { ':boundary': c.boundary },
        }),
  };
}

/** A page of one directory partition of checkpoints (every level shard reconciliation knows). */
export function buildCheckpointDirectoryPage(
  tableName: string,
  partition: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': checkpointPartition(partition) },
    ProjectionExpression: '#sku, #locationId, #shard',
    ExpressionAttributeNames: { '#sku': 'sku', '#locationId': 'locationId', '#shard': 'shard' },
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

/**
 * A level shard's ledger from the movement id `boundary` on (inclusive), strongly consistent; the whole ledger
 * when the boundary is empty (the start).
 */
export function buildShardLedgerTail(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
  boundary: string,
): QueryCommandInput {
  const pk = ledgerPartition(sku, locationId, shard);
  if (!boundary) return buildPartitionQuery(tableName, pk);
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk >= :boundary',
    ExpressionAttributeValues: { ':pk': pk, ':boundary': boundary },
    ConsistentRead: true,
  };
}

/** Where the discovery scan resumes (strongly consistent). */
export const buildSweepGet = (tableName: string): GetCommandInput => buildGet(tableName, RECONCILE_SWEEP_KEY);

/** Saves where the discovery scan resumes; no cursor: the next run starts a new sweep from the table's start. */
export function buildSweepPut(tableName: string, cursor: string | null, at: string): PutCommandInput {
  return {
    TableName: tableName,
    Item: { ...RECONCILE_SWEEP_KEY, kind: 'ReconcileSweep', cursor, updatedAt: at },
  };
}
