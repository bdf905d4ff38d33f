import type { TransitionName } from '../../../holds/domain/reservation.js';
import type { StockBucket } from '../../../kernel/errors.js';
import type { IdempotencyKey, LocationId, ReservationId, Sku } from '../../../kernel/identifiers.js';
import type { IdempotencyRecord } from '../../../platform/store/commands.js';
import { idempotencyKey } from '../../../platform/store/keys.js';
import { putNew, type TransactItem } from './level-change.js';

export type LevelGuard =
  | { readonly bucket: StockBucket; readonly quantity: number }
  | { readonly version: number }
  | null;

/** What each item of a transaction is, so that a cancellation can be explained item by item. */
export type ItemRole =
  | {
      readonly role: 'level';
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly shard: number;
      readonly guard: LevelGuard;
      /** The write adds units and so requires the shard to be active. */
      readonly needsActiveShard: boolean;
      /** The shard must not exist yet (a rebalance creating it). */
      readonly mustBeNew?: boolean;
      /** The write sets the level's span to this: the shard's span must not be larger (`spanAtMost`). */
      readonly spanAtMost?: number;
    }
  | { readonly role: 'movement' }
  /** The level's entry in the registry of sharded levels: unconditional (ADR 43). */
  | { readonly role: 'shard-registry' }
  | { readonly role: 'holder'; readonly ownerId: string; readonly cap: number }
  | { readonly role: 'holder-release' }
  | { readonly role: 'restored-reservation'; readonly reservationId: ReservationId }
  | { readonly role: 'location'; readonly locationId: LocationId }
  | { readonly role: 'cart-fence'; readonly cartId: string }
  | {
      readonly role: 'cart-transition';
      readonly cartId: string;
      readonly to: string;
      readonly action: string;
    }
  | { readonly role: 'idempotency'; readonly key: IdempotencyKey; readonly requestHash: string }
  | {
      readonly role: 'new-reservation';
      readonly reservationId: ReservationId;
      readonly key: IdempotencyKey | null;
      readonly requestHash: string;
    }
  /** The open replenishment request of a level, put at its fixed key: refused when one is open already. */
  | { readonly role: 'replenishment-new'; readonly requestId: string }
  /** The movement of an opened request, whose id derives from the request: refused when it was opened before. */
  | { readonly role: 'replenishment-movement'; readonly requestId: string }
  /** The open request, changed or closed only as it was read (compare-and-set on its received quantity). */
  | { readonly role: 'replenishment-open'; readonly requestId: string }
  /** A closed request's record, which must be new. */
  | { readonly role: 'replenishment-closed'; readonly requestId: string }
  /** A policy change of shard 0: compare-and-set on its safety stock, which must fit in its available. */
  | {
      readonly role: 'policy-level';
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly expectedSafetyStock: number;
      readonly take: number;
    }
  | {
      readonly role: 'reservation-transition';
      readonly reservationId: ReservationId;
      readonly transition: TransitionName;
      readonly nowMs: number;
      readonly ownerId: string | null;
      /** The write required the hold to belong to no cart (a single-hold route: ADR 15). */
      readonly outsideCart?: boolean;
    };

export type Step = readonly [TransactItem, ItemRole];

export interface PlannedTransaction {
  readonly items: TransactItem[];
  readonly roles: ItemRole[];
}

export function plan(...steps: ReadonlyArray<Step>): PlannedTransaction {
  return { items: steps.map(([item]) => item), roles: steps.map(([, role]) => role) };
}

/** The idempotency record, with the first result: the ids of the movements the transaction writes. */
export function idempotencyStep(
  tableName: string,
  record: IdempotencyRecord | null,
  movementIds: readonly string[],
): Step[] {
  if (!record) return [];
  return [
    [
      putNew(tableName, {
        ...idempotencyKey(record.hashedKey),
        kind: 'Idempotency',
        operation: record.operation,
        requestHash: record.requestHash,
        result: { movementIds },
        ttl: record.ttlEpochSeconds,
      }),
      { role: 'idempotency', key: record.key, requestHash: record.requestHash },
    ],
  ];
}
