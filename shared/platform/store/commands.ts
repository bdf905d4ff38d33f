import type { Reservation, TransitionName } from '../../holds/domain/reservation.js';
import type {
  IdempotencyKey,
  LocationId,
  PrincipalId,
  ReservationId,
  Sku,
} from '../../kernel/identifiers.js';
import type { ReplenishmentRequest } from '../../replenishment/domain/replenishment.js';
import type { MovementReference } from '../../stock/domain/movement.js';
import type { ShardPart } from '../../stock/domain/sharding.js';

/** Who changes stock, when and why: recorded on every movement. */
export interface ChangeContext {
  readonly actor: PrincipalId;
  /** ISO-8601 time of the change, from the injected clock. */
  readonly at: string;
  readonly reason: string | null;
  readonly reference: MovementReference | null;
}

/**
 * The idempotency record written in the same transaction as a keyed stock operation. The store adds the
 * first result (the movement ids it wrote).
 */
export interface IdempotencyRecord {
  readonly key: IdempotencyKey;
  readonly hashedKey: string;
  readonly operation: string;
  readonly requestHash: string;
  readonly ttlEpochSeconds: number;
}

interface StockChangeBase {
  readonly sku: Sku;
  readonly locationId: LocationId;
  /** The first movement's id; a change spread over several shards derives the others from it. */
  readonly movementId: string;
  readonly context: ChangeContext;
  readonly idempotency: IdempotencyRecord | null;
}

export interface ReceiveCommand extends StockChangeBase {
  readonly quantity: number;
}

export interface AdjustCommand extends StockChangeBase {
  readonly delta: number;
}

export interface CountCommand extends StockChangeBase {
  readonly onHand: number;
  readonly expectedVersion: number;
}

export interface BlockCommand extends StockChangeBase {
  readonly direction: 'block' | 'unblock';
  readonly quantity: number;
}

export interface TransferCommand {
  readonly sku: Sku;
  readonly from: LocationId;
  readonly to: LocationId;
  readonly quantity: number;
  readonly outMovementId: string;
  readonly inMovementId: string;
  readonly context: ChangeContext;
  readonly idempotency: IdempotencyRecord | null;
}

export interface RebalanceCommand {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shards: number;
  readonly movementId: string;
  readonly context: ChangeContext;
}

export interface ReserveCommand {
  /** The record as it is created (status HELD); the store decides its parts. */
  readonly reservation: Omit<Reservation, 'parts'>;
  readonly requestHash: string;
  readonly idempotencyKey: IdempotencyKey | null;
  readonly movementId: string;
  readonly context: ChangeContext;
  readonly ttlEpochSeconds: number;
  /** When set, the owner may have at most this many live holds; checked in the same transaction. */
  readonly activeHoldCap: number | null;
}

export interface ExtendCommand {
  readonly reservationId: ReservationId;
  /** Only this owner may extend; null lets any owner's hold be extended (admin). */
  readonly ownerId: PrincipalId | null;
  readonly expiresAt: number;
  readonly nowMs: number;
  readonly at: string;
  readonly ttlEpochSeconds: number;
  /** Who extends it (recorded on the reservation for its ReservationExtended event). */
  readonly actor: PrincipalId;
}

/** The immutable facts of a hold that a transition needs to change its level. */
export interface HoldFacts {
  readonly reservationId: ReservationId;
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly parts: readonly ShardPart[];
  readonly quantity: number;
  readonly ownerId: PrincipalId;
  /** The hold was counted against its owner's cap when made, so leaving HELD uncounts it. */
  readonly countedHold: boolean;
}

export interface TransitionCommand {
  readonly transition: TransitionName;
  readonly hold: HoldFacts;
  readonly ownerId: PrincipalId | null;
  readonly nowMs: number;
  readonly movementId: string;
  readonly context: ChangeContext;
  readonly resolvedTtlEpochSeconds: number;
  /**
   * True when the cart the hold belongs to makes the transition (its release or compensation). A hold that
   * belongs to a cart leaves HELD by release or confirm only this way (ADR 15); absent or false, the write
   * requires the hold to belong to no cart.
   */
  readonly byCart?: boolean;
}

/** A live hold as the sparse hold indexes project it. */
export interface IndexedHold extends HoldFacts {
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Returns the stock of a HELD reservation that DynamoDB TTL deleted, and writes the reservation back as EXPIRED. */
export interface PurgedHoldCommand {
  /** The reservation item as it was when TTL deleted it (the stream's OldImage, unmarshalled). */
  readonly purged: Reservation;
  readonly movementId: string;
  readonly context: ChangeContext;
  readonly resolvedTtlEpochSeconds: number;
}

/**
 * A change of a level's replenishment policy, on shard 0 (where the policy lives). The safety stock moves by
 * `safetyStockDelta` (so `available` moves the other way), compare-and-set on the safety stock that was read.
 */
export interface PolicyCommand {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly expectedSafetyStock: number;
  readonly safetyStockDelta: number;
  /** Absent: unchanged; null: cleared. */
  readonly reorderPoint?: number | null;
  readonly reorderQuantity?: number | null;
  readonly movementId: string;
  readonly context: ChangeContext;
}

/** Opens a replenishment request (status OPEN) and raises the level's `incoming` by its quantity. */
export interface OpenReplenishmentCommand {
  readonly request: ReplenishmentRequest;
  /** Derived from the request id, so that opening the same request twice collides on it. */
  readonly movementId: string;
  readonly context: ChangeContext;
}

/** Receives units against an open request, as it was read. */
export interface ReceiveReplenishmentCommand {
  readonly request: ReplenishmentRequest;
  readonly quantity: number;
  readonly movementId: string;
  readonly context: ChangeContext;
  readonly idempotency: IdempotencyRecord | null;
}

/** Cancels an open request, as it was read: what it still expected leaves `incoming`. */
export interface CancelReplenishmentCommand {
  readonly request: ReplenishmentRequest;
  readonly movementId: string;
  readonly context: ChangeContext;
}
