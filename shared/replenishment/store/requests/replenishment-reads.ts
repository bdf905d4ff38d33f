import type { GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import {
  CLOSED_REPLENISHMENT_PREFIX,
  closedReplenishmentKey,
  openReplenishmentKey,
  REPLENISHMENT_LISTS,
  replenishmentPartition,
} from '../../../platform/store/keys.js';
import { buildGet } from '../../../platform/store/requests/reads.js';
import type { ReplenishmentState } from '../../domain/replenishment.js';

/** The open request of a level, by its fixed key (strongly consistent). */
export function buildOpenReplenishmentGet(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
): GetCommandInput {
  return buildGet(tableName, openReplenishmentKey(sku, locationId));
}

/** A closed request of a level (strongly consistent). */
export function buildClosedReplenishmentGet(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  requestId: string,
): GetCommandInput {
  return buildGet(tableName, closedReplenishmentKey(sku, locationId, requestId));
}

/** A page of a level's closed requests, newest first (strongly consistent). */
export function buildClosedReplenishmentsQuery(
  tableName: string,
  sku: Sku,
  locationId: LocationId,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: {
      ':pk': replenishmentPartition(sku, locationId),
      ':prefix': CLOSED_REPLENISHMENT_PREFIX,
    },
    ScanIndexForward: false,
    ConsistentRead: true,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}

/**
 * A page of every level's requests in one state, newest first, from the `expiry` index where requests are
 * listed under their state (eventually consistent; the index keeps only keys).
 */
export function buildReplenishmentListQuery(
  tableName: string,
  state: ReplenishmentState,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: 'expiry',
    KeyConditionExpression: '#list = :list',
    ExpressionAttributeNames: { '#list': 'expiryBucket' },
    ExpressionAttributeValues: { ':list': REPLENISHMENT_LISTS[state] },
    ScanIndexForward: false,
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}
