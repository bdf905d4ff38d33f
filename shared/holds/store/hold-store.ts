import type { LocationId, ReservationId, Sku } from '../../kernel/identifiers.js';
import type {
  ExtendCommand,
  IndexedHold,
  PurgedHoldCommand,
  ReserveCommand,
  TransitionCommand,
} from '../../platform/store/commands.js';
import type { Reservation } from '../domain/reservation.js';

export interface ReserveOutcome {
  readonly reservation: Reservation;
  readonly replayed: boolean;
}

export interface TransitionOutcome {
  /** False when the hold was already in the target state: nothing changed. */
  readonly changed: boolean;
  readonly reservation: Reservation;
}

/**
 * Storage of holds (reservations): taken from a level's shards, extended, confirmed, released or expired, each
 * in one conditional write or one transaction with its movement; a refused write is a typed domain error.
 */
export interface HoldStore {
  reserve(cmd: ReserveCommand): Promise<ReserveOutcome>;
  extend(cmd: ExtendCommand): Promise<Reservation>;
  transition(cmd: TransitionCommand): Promise<TransitionOutcome>;
  /** The TTL backstop's release; false when the hold was already restored (a duplicate delivery). */
  releasePurgedHold(cmd: PurgedHoldCommand): Promise<boolean>;
  /** Live holds of one expiry bucket that expired at or before `nowMs`, oldest first (eventually consistent). */
  findExpiredHolds(bucket: string, nowMs: number, limit: number): Promise<IndexedHold[]>;
  /** Live holds of one level that expired at or before `nowMs`, oldest first (eventually consistent). */
  findExpiredHoldsOfLevel(
    sku: Sku,
    locationId: LocationId,
    nowMs: number,
    limit: number,
  ): Promise<IndexedHold[]>;
  getReservation(reservationId: ReservationId): Promise<Reservation | null>;
}
