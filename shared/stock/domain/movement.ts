import type { LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';
import { applyDelta, type BucketDelta, type Buckets, EMPTY_BUCKETS } from './stock-level.js';

export const MOVEMENT_TYPES = [
  'RECEIVED',
  'ADJUSTED',
  'COUNTED',
  'BLOCKED',
  'UNBLOCKED',
  'TRANSFERRED_OUT',
  'TRANSFERRED_IN',
  'RESERVED',
  'RELEASED',
  'EXPIRED',
  'CONFIRMED',
  'FULFILLED',
  'CANCELLED',
  'REBALANCED',
  'POLICY_SET',
  'REPLENISHMENT_REQUESTED',
  'REPLENISHMENT_CANCELLED',
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

export interface MovementReference {
  readonly type: string;
  readonly id: string;
}

/**
 * What a transfer movement belongs to: both sides of the transfer, so that the one event of a transfer
 * (TransferCompleted) can be built from the stream record of either movement without reading the other.
 */
export interface TransferLink {
  readonly from: LocationId;
  readonly to: LocationId;
  /** Units transferred in total (over every shard part). */
  readonly quantity: number;
  /** The first TRANSFERRED_OUT movement (the transfer's id). */
  readonly outMovementId: string;
  /** The first TRANSFERRED_IN movement. */
  readonly inMovementId: string;
}

/** One ledger entry: what changed on one level (shard), why, and who did it. Never updated or deleted. */
export interface Movement {
  readonly movementId: string;
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  readonly type: MovementType;
  readonly delta: BucketDelta;
  readonly reason: string | null;
  readonly reference: MovementReference | null;
  readonly reservationId: ReservationId | null;
  readonly actor: PrincipalId;
  readonly at: string;
  /** On TRANSFERRED_OUT and TRANSFERRED_IN movements only. */
  readonly transfer?: TransferLink | null;
}

export interface Replay {
  readonly buckets: Buckets;
  readonly count: number;
}

/** Sums a level's movements. Order does not matter: deltas commute. */
export function replay(movements: Iterable<Pick<Movement, 'delta'>>): Replay {
  let buckets = EMPTY_BUCKETS;
  let count = 0;
  for (const m of movements) {
    buckets = applyDelta(buckets, m.delta);
    count += 1;
  }
  return { buckets, count };
}
