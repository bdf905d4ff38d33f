import type { ReservationStatus } from '../holds/domain/reservation.js';
import type { LocationId, ReservationId, Sku } from './identifiers.js';

/**
 * Typed domain errors. Each has a stable `code`; the HTTP layer maps codes to status codes and problem types,
 * and exposes `details` (never a stack or an internal message).
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly details: Readonly<Record<string, unknown>>;
}

export class ValidationError extends DomainError {
  readonly code = 'validation';
  readonly details: { field: string };
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
    this.details = { field };
  }
}

/** A business rule refuses the request although it is well formed (HTTP 422). */
export class BusinessRuleError extends DomainError {
  readonly code = 'business-rule';
  readonly details: { rule: string };
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessRuleError';
    this.details = { rule };
  }
}

export interface AlternativeLocation {
  readonly locationId: LocationId;
  readonly available: number;
}

export type StockBucket = 'available' | 'unavailable' | 'onHand' | 'reserved' | 'committed' | 'incoming';

export class InsufficientStockError extends DomainError {
  readonly code = 'insufficient-stock';
  readonly details: {
    sku: Sku;
    locationId: LocationId;
    bucket: StockBucket;
    requested: number;
    available: number;
    alternatives: readonly AlternativeLocation[];
  };
  constructor(args: {
    sku: Sku;
    locationId: LocationId;
    bucket?: StockBucket;
    requested: number;
    available: number;
    alternatives?: readonly AlternativeLocation[];
  }) {
    const bucket = args.bucket ?? 'available';
    super(
      `${args.requested} requested but only ${args.available} ${bucket} for ${args.sku} at ${args.locationId}`,
    );
    this.name = 'InsufficientStockError';
    this.details = { ...args, bucket, alternatives: args.alternatives ?? [] };
  }

  withAlternatives(alternatives: readonly AlternativeLocation[]): InsufficientStockError {
    return new InsufficientStockError({ ...this.details, alternatives });
  }
}

export class VersionConflictError extends DomainError {
  readonly code = 'version-conflict';
  readonly details: { expectedVersion: number; actualVersion: number | null };
  constructor(expectedVersion: number, actualVersion: number | null) {
    super(`expected version ${expectedVersion} but the level is at version ${actualVersion ?? 'none'}`);
    this.name = 'VersionConflictError';
    this.details = { expectedVersion, actualVersion };
  }
}

export class HoldAlreadyResolvedError extends DomainError {
  readonly code = 'hold-already-resolved';
  readonly details: { reservationId: ReservationId; status: ReservationStatus };
  constructor(reservationId: ReservationId, status: ReservationStatus) {
    super(`reservation ${reservationId} is already ${status}`);
    this.name = 'HoldAlreadyResolvedError';
    this.details = { reservationId, status };
  }
}

/**
 * A hold that belongs to a cart moves only through the cart's routes (ADR 15): confirming, releasing or extending
 * it on its own would make the cart's status contradict its holds.
 */
export class HoldInCartError extends DomainError {
  readonly code = 'hold-in-cart';
  readonly details: { reservationId: ReservationId; cartId: string };
  constructor(reservationId: ReservationId, cartId: string) {
    super(
      `reservation ${reservationId} belongs to cart ${cartId}: use the cart's routes (/carts/${cartId}/...)`,
    );
    this.name = 'HoldInCartError';
    this.details = { reservationId, cartId };
  }
}

export class HoldExpiredError extends DomainError {
  readonly code = 'hold-expired';
  readonly details: { reservationId: ReservationId; expiresAt: string };
  constructor(reservationId: ReservationId, expiresAt: number) {
    const at = new Date(expiresAt).toISOString();
    super(`reservation ${reservationId} expired at ${at}`);
    this.name = 'HoldExpiredError';
    this.details = { reservationId, expiresAt: at };
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'idempotency-key-reused';
  readonly details: { idempotencyKey: string };
  constructor(idempotencyKey: string) {
    super('this Idempotency-Key was already used with a different request');
    this.name = 'IdempotencyConflictError';
    this.details = { idempotencyKey };
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found';
  readonly details: { resource: string; id: string };
  constructor(
    resource: 'location' | 'level' | 'reservation' | 'cart' | 'replenishment' | 'region',
    id: string,
  ) {
    super(`${resource} ${id} not found`);
    this.name = 'NotFoundError';
    this.details = { resource, id };
  }
}

/** No location has a level of the SKU: a typo must not read as "out of stock". */
export class UnknownSkuError extends DomainError {
  readonly code = 'unknown-sku';
  readonly details: { sku: string };
  constructor(sku: string) {
    super(`no location has a level of SKU ${sku}`);
    this.name = 'UnknownSkuError';
    this.details = { sku };
  }
}

export class LocationInactiveError extends DomainError {
  readonly code = 'location-inactive';
  readonly details: { locationId: LocationId };
  constructor(locationId: LocationId) {
    super(`location ${locationId} does not exist or is not active`);
    this.name = 'LocationInactiveError';
    this.details = { locationId };
  }
}

/** The store kept refusing the write for contention; the caller may retry later (HTTP 503). */
export class ConcurrencyLimitError extends DomainError {
  readonly code = 'concurrency-limit';
  readonly details: { retryAfterSeconds: number };
  constructor(retryAfterSeconds = 1, message = 'too much contention on this stock level, retry shortly') {
    super(message);
    this.name = 'ConcurrencyLimitError';
    this.details = { retryAfterSeconds };
  }
}

/**
 * The store did not answer in time (or failed) before anything of this request was written: nothing changed,
 * the same request may be sent again (HTTP 503 with Retry-After).
 */
export class StoreUnavailableError extends DomainError {
  readonly code = 'store-unavailable';
  readonly details: { retryAfterSeconds: number };
  constructor(retryAfterSeconds = 1) {
    super('the store did not answer in time; nothing was changed, retry shortly');
    this.name = 'StoreUnavailableError';
    this.details = { retryAfterSeconds };
  }
}

/**
 * A write of this request was sent and its answer was lost (a timeout, a dropped connection, a server error):
 * it may have been applied or not (HTTP 503 with Retry-After and how to learn which). `hint` carries what the
 * use case knows that tells the outcome, such as the id the new resource has if it was created.
 */
export class OutcomeUnknownError extends DomainError {
  readonly code = 'outcome-unknown';
  readonly details: { retryAfterSeconds: number } & Readonly<Record<string, unknown>>;
  constructor(hint: Readonly<Record<string, unknown>> = {}, retryAfterSeconds = 1) {
    super('the outcome of the request is unknown: it may or may not have been applied');
    this.name = 'OutcomeUnknownError';
    this.details = { ...hint, retryAfterSeconds };
  }

  withHint(hint: Readonly<Record<string, unknown>>): OutcomeUnknownError {
    return new OutcomeUnknownError({ ...this.details, ...hint }, this.details.retryAfterSeconds);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = 'already-exists';
  readonly details: { resource: string; id: string };
  constructor(resource: 'location' | 'cart', id: string) {
    super(`${resource} ${id} already exists`);
    this.name = 'AlreadyExistsError';
    this.details = { resource, id };
  }
}

/** A cart is not in the state the request needs (e.g. confirming a cart that failed). */
export class CartStateError extends DomainError {
  readonly code = 'cart-state';
  readonly details: { cartId: string; status: string };
  constructor(cartId: string, status: string, action: string) {
    super(`cart ${cartId} is ${status}: cannot ${action}`);
    this.name = 'CartStateError';
    this.details = { cartId, status };
  }
}

/** A stored state that breaks an invariant: never caused by a client, so it is an internal error. */
export class InvariantViolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolationError';
  }
}
