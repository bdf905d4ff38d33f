import {
  type AlternativeLocation,
  InsufficientStockError,
  NotFoundError,
  OutcomeUnknownError,
} from '../../kernel/errors.js';
import { deterministicId, requestHash } from '../../kernel/fingerprint.js';
import {
  type IdempotencyKey,
  type LocationId,
  type PrincipalId,
  parsePrincipalId,
  type ReservationId,
  type Sku,
} from '../../kernel/identifiers.js';
import type { ReserveCommand } from '../../platform/store/commands.js';
import { changeContext, type UseCaseDeps } from '../../platform/use-cases/context.js';
import { parseTtlSeconds } from '../domain/hold-policy.js';
import type { Reservation, TransitionName } from '../domain/reservation.js';
import type { TransitionOutcome } from '../store/hold-store.js';
import { reclaimExpiredHolds } from './expiry.js';
import { applyTransition, type OwnerScope } from './transitions.js';

export type { OwnerScope };

export interface ReserveInput {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly quantity: number;
  readonly ttlSeconds?: number;
  /** The caller's reference, e.g. a checkout or cart id. */
  readonly reference?: string | null;
  readonly idempotencyKey?: IdempotencyKey | null;
  /** The most live holds the owner may have (the abuse limit for storefront callers); null for no cap. */
  readonly activeHoldCap?: number | null;
}

export interface ReserveResult {
  readonly reservation: Reservation;
  readonly replayed: boolean;
}

/**
 * Hold stock for a buyer.
 * 1. Check the TTL against the hold policy.
 * 2. The reservation id is derived from (owner, key) when an idempotency key is given, so that a retry lands on
 *    the first attempt's record; otherwise it is a new ULID.
 * 3. One transaction: `available >= q` guarded decrement of the level, the new reservation, its movement.
 * 4. A collision with the same request is a replay (the first reservation is returned); with another request
 *    it is an idempotency conflict.
 * 5. When stock is short, first release the level's expired holds (inline reclaim) and try once more, so an
 *    expired hold never causes a false "out of stock".
 * 6. When stock is still short, the error names the quantity available there and the other locations that could
 *    serve the whole quantity.
 * 7. When the answer of the store is lost (OutcomeUnknownError), the error names the reservation id the hold has
 *    if it was made (the one a retry with the same key lands on).
 */
export async function reserveStock(
  deps: UseCaseDeps,
  input: ReserveInput,
  owner: PrincipalId,
): Promise<ReserveResult> {
  const ttlSeconds = parseTtlSeconds(input.ttlSeconds, deps.holdPolicy);
  const now = deps.clock.now();
  const at = new Date(now).toISOString();
  const reservationId = (
    input.idempotencyKey ? deterministicId(owner, 'reserve', input.idempotencyKey) : deps.ids.next()
  ) as ReservationId;
  const expiresAt = now + ttlSeconds * 1000;
  const reservation: Omit<Reservation, 'parts'> = {
    reservationId,
    sku: input.sku,
    locationId: input.locationId,
    quantity: input.quantity,
    ownerId: owner,
    status: 'HELD',
    createdAt: at,
    updatedAt: at,
    expiresAt,
    maxExpiresAt: now + deps.holdPolicy.maxHoldSeconds * 1000,
    reference: input.reference ?? null,
    resolvedAt: null,
    countedHold: (input.activeHoldCap ?? null) !== null,
  };
  const command: ReserveCommand = {
    reservation,
    requestHash: requestHash({
      sku: input.sku,
      locationId: input.locationId,
      quantity: input.quantity,
      ttlSeconds,
      reference: input.reference ?? null,
    }),
    idempotencyKey: input.idempotencyKey ?? null,
    movementId: deps.ids.next(),
    context: changeContext(deps, { actor: owner, reference: null }),
    ttlEpochSeconds: Math.ceil(expiresAt / 1000) + deps.holdPolicy.purgeGraceSeconds,
    activeHoldCap: input.activeHoldCap ?? null,
  };
  try {
    return await deps.holds.reserve(command);
  } catch (error) {
    if (error instanceof OutcomeUnknownError) throw error.withHint({ reservationId });
    if (!(error instanceof InsufficientStockError) || error.details.bucket !== 'available') throw error;
    const reclaimed = await reclaimExpiredHolds(deps, input.sku, input.locationId);
    if (reclaimed > 0) {
      try {
        return await deps.holds.reserve(command);
      } catch (retryError) {
        if (retryError instanceof OutcomeUnknownError) throw retryError.withHint({ reservationId });
        if (!(retryError instanceof InsufficientStockError)) throw retryError;
        throw retryError.withAlternatives(
          await alternativesFor(deps, input.sku, input.locationId, input.quantity),
        );
      }
    }
    throw error.withAlternatives(await alternativesFor(deps, input.sku, input.locationId, input.quantity));
  }
}

/** Other locations of the SKU that have the whole quantity available, most available first. */
export async function alternativesFor(
  deps: UseCaseDeps,
  sku: Sku,
  exceptLocation: LocationId,
  quantity: number,
): Promise<AlternativeLocation[]> {
  const levels = await deps.levels.getAvailability(sku);
  return levels
    .filter((l) => l.locationId !== exceptLocation && l.available >= quantity)
    .sort((a, b) => b.available - a.available)
    .slice(0, 10)
    .map((l) => ({ locationId: l.locationId, available: l.available }));
}

async function ownedReservation(
  deps: UseCaseDeps,
  reservationId: ReservationId,
  scope: OwnerScope,
): Promise<Reservation> {
  const reservation = await deps.holds.getReservation(reservationId);
  if (!reservation || (scope !== null && reservation.ownerId !== scope)) {
    throw new NotFoundError('reservation', reservationId);
  }
  return reservation;
}

/** Read one reservation. Someone else's is answered exactly like a missing one. */
export function getReservation(
  deps: UseCaseDeps,
  reservationId: ReservationId,
  scope: OwnerScope,
): Promise<Reservation> {
  return ownedReservation(deps, reservationId, scope);
}

/** Who an extension is attributed to when an admin scope (null) names no actor. */
export const ADMIN_ACTOR: PrincipalId = parsePrincipalId('system:admin');

/**
 * Extend a live hold to expire `ttlSeconds` from now. `actor` (the caller; by default the owner scope) is
 * recorded on the reservation for its ReservationExtended event.
 * 1. Check the TTL against the hold policy.
 * 2. One conditional update of the reservation: still HELD, owned by the caller, not yet expired (an expired hold
 *    cannot be revived), and not past its maximum hold time.
 */
export async function extendHold(
  deps: UseCaseDeps,
  input: { reservationId: ReservationId; ttlSeconds?: number },
  scope: OwnerScope,
  actor: PrincipalId = scope ?? ADMIN_ACTOR,
): Promise<Reservation> {
  const ttlSeconds = parseTtlSeconds(input.ttlSeconds, deps.holdPolicy);
  const now = deps.clock.now();
  const expiresAt = now + ttlSeconds * 1000;
  return deps.holds.extend({
    reservationId: input.reservationId,
    ownerId: scope,
    expiresAt,
    nowMs: now,
    at: new Date(now).toISOString(),
    ttlEpochSeconds: Math.ceil(expiresAt / 1000) + deps.holdPolicy.purgeGraceSeconds,
    actor,
  });
}

/**
 * Release, confirm, fulfil or cancel a hold.
 * 1. Read the reservation for its immutable facts (SKU, location, shard, quantity); someone else's is not found.
 * 2. One transaction: the reservation moves from the expected state only (so it resolves at most once; confirm
 *    also requires it unexpired), the level's buckets move by the quantity, a movement is written.
 * 3. A hold already in the target state is a replay: nothing changes and `changed` is false. A hold in another
 *    state is a HoldAlreadyResolvedError.
 */
export async function resolveHold(
  deps: UseCaseDeps,
  transition: Exclude<TransitionName, 'expire'>,
  input: { reservationId: ReservationId; reason?: string | null },
  scope: OwnerScope,
  actor: PrincipalId,
): Promise<TransitionOutcome> {
  const reservation = await ownedReservation(deps, input.reservationId, scope);
  return applyTransition(deps, transition, reservation, scope, actor, input.reason ?? null);
}
