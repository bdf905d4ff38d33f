import type {
  BatchGetCommandInput,
  GetCommandInput,
  QueryCommandInput,
  ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import { ledgerPartition, movementKey } from '../../../platform/store/keys.js';
import { buildBatchGet, buildGet, buildPartitionQuery } from '../../../platform/store/requests/reads.js';
import type { MovementRef } from '../ledger-store.js';

/** Every movement of one level shard's ledger (strongly consistent). */
export function buildShardLedgerQuery(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
): QueryCommandInput {
  return buildPartitionQuery(tableName, ledgerPartition(sku, locationId, shard));
}

/** A page of one level shard's ledger in movement-id (time) order, after the movement `after` when given. */
export function buildShardLedgerPage(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
  page: { readonly forward: boolean; readonly limit: number; readonly after: string | null },
): QueryCommandInput {
  const pk = ledgerPartition(sku, locationId, shard);
  return {
    ...buildPartitionQuery(tableName, pk),
    ScanIndexForward: page.forward,
    Limit: page.limit,
    ...(page.after ? { ExclusiveStartKey: { pk, sk: page.after } } : {}),
  };
}

/** One movement of a level shard's ledger (strongly consistent). */
export function buildMovementGet(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  shard: number,
  movementId: string,
): GetCommandInput {
  return buildGet(tableName, movementKey(sku, locationId, shard, movementId));
}

/** Up to 100 movements by key, in one strongly consistent BatchGetItem (a key asked twice is asked once). */
export function buildMovementBatchGet(tableName: string, refs: readonly MovementRef[]): BatchGetCommandInput {
  const keys = new Map(
    refs.map(({ sku, locationId, shard, movementId }) => {
      const key = movementKey(sku, locationId, shard, movementId);
      return [`${key.pk}\n${key.sk}`, key] as const;
    }),
  );
  return buildBatchGet(tableName, [...keys.values()]);
}

/**
 * A page of a Scan of the whole table filtered to level items, projected to their keys: it reads every item,
 * so it is for batch jobs (reconciliation) only.
 */
export function buildLevelShardScan(
  tableName: string,
  limit: number,
  startKey?: Record<string, unknown>,
): ScanCommandInput {
  return {
    TableName: tableName,
    FilterExpression: '#kind = :level',
    ProjectionExpression: 'pk, sk, #sku, #locationId, #shard',
    ExpressionAttributeNames: {
      '#kind': 'kind',
      '#sku': 'sku',
      '#locationId': 'locationId',
      '#shard': 'shard',
    },
    ExpressionAttributeValues: { ':level': 'Level' },
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}
