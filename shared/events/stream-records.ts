import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { LevelAlert } from '../alerts/domain/level-alert.js';
import type { Reservation } from '../holds/domain/reservation.js';
import {
  type Item,
  toLevelAlert,
  toLevelShard,
  toReplenishment,
  toReservation,
} from '../platform/store/records.js';
import type { ReplenishmentRequest } from '../replenishment/domain/replenishment.js';
import type { LevelShard } from '../stock/domain/level-shard.js';

/**
 * The decoding of the table's stream records: a record's DynamoDB-typed images → the typed record of the item it
 * wrote, with its previous image. The only place of the event pipeline that reads DynamoDB's attribute format;
 * what follows (shared/events/event-mapping.ts) works on these typed records.
 */

/** A write of a level (shard): its image right after the write, and the one before (none: a new level). */
export interface LevelRecord {
  readonly kind: 'Level';
  readonly level: LevelShard;
  readonly previous: LevelShard | null;
  /** The movement the write linked, and the one the previous image linked. */
  readonly movementId: string | null;
  readonly previousMovementId: string | null;
}

/** A write of a reservation, with the movement and actor the write recorded on it. */
export interface ReservationRecord {
  readonly kind: 'Reservation';
  readonly reservation: Reservation;
  readonly previous: Reservation | null;
  readonly movementId: string | null;
  readonly actor: string | null;
}

/** A write of a level's alert item. */
export interface LevelAlertRecord {
  readonly kind: 'LevelAlert';
  readonly alert: LevelAlert;
  readonly previous: LevelAlert | null;
}

/** The INSERT of a replenishment request's item (its opening). */
export interface ReplenishmentRecord {
  readonly kind: 'Replenishment';
  readonly request: ReplenishmentRequest;
}

export type StreamRecord = LevelRecord | ReservationRecord | LevelAlertRecord | ReplenishmentRecord;

const stringOr = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The typed record of a stream record, or null for a record that no event comes from: a removal (no new image),
 * an item of another kind (movements, idempotency records, locations...), or a replenishment request's update.
 */
export function decodeStreamRecord(record: DynamoDBRecord): StreamRecord | null {
  if (record.eventName === 'REMOVE') return null;
  const item = imageOf(record.dynamodb?.NewImage);
  if (!item) return null;
  const old = imageOf(record.dynamodb?.OldImage);
  switch (item.kind) {
    case 'Level':
      return {
        kind: 'Level',
        level: toLevelShard(item),
        previous: old ? toLevelShard(old) : null,
        movementId: stringOr(item.lastMovementId),
        previousMovementId: stringOr(old?.lastMovementId),
      };
    case 'Reservation':
      return {
        kind: 'Reservation',
        reservation: toReservation(item),
        previous: old ? toReservation(old) : null,
        movementId: stringOr(item.lastMovementId),
        actor: stringOr(item.lastActor),
      };
    case 'LevelAlert':
      return { kind: 'LevelAlert', alert: toLevelAlert(item), previous: old ? toLevelAlert(old) : null };
    case 'Replenishment':
      return record.eventName === 'INSERT' ? { kind: 'Replenishment', request: toReplenishment(item) } : null;
    default:
      return null;
  }
}

function imageOf(image: NonNullable<DynamoDBRecord['dynamodb']>['NewImage']): Item | null {
  return image ? unmarshall(image as Record<string, AttributeValue>) : null;
}
