import type { LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';
import type { MovementType } from '../../stock/domain/movement.js';
import type { ShardPart } from '../../stock/domain/sharding.js';
import type { BucketDelta } from '../../stock/domain/stock-level.js';

export const RESERVATION_STATUSES = [
  'HELD',
  'CONFIRMED',
  'FULFILLED',
  'RELEASED',
  'EXPIRED',
  'CANCELLED',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface Reservation {
  readonly reservationId: ReservationId;
  readonly sku: Sku;
  readonly locationId: LocationId;
  /** Which shards of the level hold the units; one part unless the level is sharded and no shard had them all. */
  readonly parts: readonly ShardPart[];
  readonly quantity: number;
  readonly ownerId: PrincipalId;
  readonly status: ReservationStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** Epoch milliseconds; an extension may not go past it. */
  readonly maxExpiresAt: number;
  readonly reference: string | null;
  readonly resolvedAt: string | null;
  /** Counted against the owner's cap of live holds (see the abuse limits). */
  readonly countedHold: boolean;
}

/**
 * The transitions of a hold: `HELD → CONFIRMED → FULFILLED`, `HELD → RELEASED | EXPIRED`,
 * `CONFIRMED → CANCELLED`. Each moves the reserved quantity between buckets of the level.
 */
export const TRANSITIONS = {
  release: { from: 'HELD', to: 'RELEASED', movement: 'RELEASED' },
  expire: { from: 'HELD', to: 'EXPIRED', movement: 'EXPIRED' },
  confirm: { from: 'HELD', to: 'CONFIRMED', movement: 'CONFIRMED' },
  fulfill: { from: 'CONFIRMED', to: 'FULFILLED', movement: 'FULFILLED' },
  cancel: { from: 'CONFIRMED', to: 'CANCELLED', movement: 'CANCELLED' },
} as const satisfies Record<
  string,
  { from: ReservationStatus; to: ReservationStatus; movement: MovementType }
>;

export type TransitionName = keyof typeof TRANSITIONS;

/** What a transition does to the level's buckets, for a hold of `q` units. */
export function transitionDelta(name: TransitionName, q: number): BucketDelta {
  switch (name) {
    case 'release':
    case 'expire':
      return { reserved: -q };
    case 'confirm':
      return { reserved: -q, committed: q };
    case 'fulfill':
      return { committed: -q, onHand: -q };
    case 'cancel':
      return { committed: -q };
  }
}

export function reserveDelta(q: number): BucketDelta {
  return { reserved: q };
}
