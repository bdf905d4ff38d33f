import type { GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ReservationId } from '../../../kernel/identifiers.js';
import { reservationKey } from '../../../platform/store/keys.js';
import { buildGet } from '../../../platform/store/requests/reads.js';

/** One reservation (strongly consistent). */
export function buildReservationGet(tableName: string, reservationId: ReservationId): GetCommandInput {
  return buildGet(tableName, reservationKey(reservationId));
}

/**
 * A page of the live holds that expired at or before `nowMs`, oldest first, from a sparse index of holds: the
 * `expiry` index (by expiry bucket) or the `levelHolds` index (by level shard).
 */
export function buildExpiredHoldsQuery(
  tableName: string,
  index: 'expiry' | 'levelHolds',
  value: string,
  nowMs: number,
  limit: number,
  startKey?: Record<string, unknown>,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: index,
    KeyConditionExpression: '#key = :value AND #expiresAt <= :now',
    ExpressionAttributeNames: {
      '#key': index === 'expiry' ? 'expiryBucket' : 'holdLevel',
      '#expiresAt': 'expiresAt',
    },
    ExpressionAttributeValues: { ':value': value, ':now': nowMs },
    Limit: limit,
    ...(startKey ? { ExclusiveStartKey: startKey } : {}),
  };
}
