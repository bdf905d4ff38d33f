import type { StockBucket } from '../../domain/errors.js';
import type { IdempotencyKey, LocationId, ReservationId, Sku } from '../../domain/identifiers.js';
import type { TransitionName } from '../../domain/reservation.js';
import type { IdempotencyRecord } from '../commands.js';
import { idempotencyKey } from '../keys.js';
import { putNew, type TransactItem } from './level-change.js';

/** What each item of a transaction is, so that a cancellation can be explained item by item. */
export type ItemRole =
  | {
      readonly role: 'level';
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly guard:
        | { readonly bucket: StockBucket; readonly quantity: number }
        | { readonly version: number }
        | null;
    }
  | { readonly role: 'movement' }
  | { readonly role: 'holder'; readonly ownerId: string; readonly cap: number }
  | { readonly role: 'holder-release' }
  | { readonly role: 'restored-reservation'; readonly reservationId: ReservationId }
  | { readonly role: 'location'; readonly locationId: LocationId }
  | { readonly role: 'idempotency'; readonly key: IdempotencyKey; readonly requestHash: string }
  | {
      readonly role: 'new-reservation';
      readonly reservationId: ReservationId;
      readonly key: IdempotencyKey | null;
      readonly requestHash: string;
    }
  | {
      readonly role: 'reservation-transition';
      readonly reservationId: ReservationId;
      readonly transition: TransitionName;
      readonly nowMs: number;
      readonly ownerId: string | null;
    };

export interface PlannedTransaction {
  readonly items: TransactItem[];
  readonly roles: ItemRole[];
}

export function plan(...steps: ReadonlyArray<readonly [TransactItem, ItemRole]>): PlannedTransaction {
  return { items: steps.map(([item]) => item), roles: steps.map(([, role]) => role) };
}

export function idempotencyStep(
  tableName: string,
  record: IdempotencyRecord | null,
): ReadonlyArray<readonly [TransactItem, ItemRole]> {
  if (!record) return [];
  return [
    [
      putNew(tableName, {
        ...idempotencyKey(record.hashedKey),
        kind: 'Idempotency',
        operation: record.operation,
        requestHash: record.requestHash,
        result: record.result,
        ttl: record.ttlEpochSeconds,
      }),
      { role: 'idempotency', key: record.key, requestHash: record.requestHash },
    ],
  ];
}
