import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { toReservation } from '../../platform/store/records.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { Reservation } from '../domain/reservation.js';
import { type PurgedHoldOutcome, releasePurgedHold } from '../use-cases/expiry.js';

/**
 * The stream records the TTL backstop acts on: a reservation, still HELD, deleted by DynamoDB's TTL process.
 * The same pattern filters the Lambda event source mapping in the cloud; the handler checks it again, so a
 * record that slips through any filter is ignored.
 */
export const PURGED_HOLD_FILTER = {
  eventName: ['REMOVE'],
  userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
  dynamodb: { OldImage: { kind: { S: ['Reservation'] }, status: { S: ['HELD'] } } },
} as const;

export function purgedHeldReservation(record: DynamoDBRecord): Reservation | null {
  if (record.eventName !== 'REMOVE') return null;
  if (record.userIdentity?.type !== 'Service' || record.userIdentity.principalId !== 'dynamodb.amazonaws.com')
    return null;
  const image = record.dynamodb?.OldImage;
  if (!image) return null;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.kind !== 'Reservation' || item.status !== 'HELD') return null;
  return toReservation(item);
}

export type BackstopTally = Record<PurgedHoldOutcome, number>;

/** Releases the stock of every TTL-deleted held reservation in a batch; duplicates and others are counted. */
export async function handlePurgedHoldRecords(
  deps: UseCaseDeps,
  records: readonly DynamoDBRecord[],
): Promise<BackstopTally> {
  const tally: BackstopTally = { released: 0, duplicate: 0, ignored: 0 };
  for (const record of records) {
    const purged = purgedHeldReservation(record);
    tally[purged ? await releasePurgedHold(deps, purged) : 'ignored']++;
  }
  return tally;
}
