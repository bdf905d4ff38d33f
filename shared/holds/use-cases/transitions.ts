import type { PrincipalId } from '../../kernel/identifiers.js';
import { changeContext, type UseCaseDeps } from '../../platform/use-cases/context.js';
import type { Reservation, TransitionName } from '../domain/reservation.js';
import type { TransitionOutcome } from '../store/hold-store.js';

/** Whose holds a caller may touch: its own (a principal id), or anyone's (null: admin and system). */
export type OwnerScope = PrincipalId | null;

/** The transition step shared by the API, the sweeper and the TTL backstop. */
export function applyTransition(
  deps: UseCaseDeps,
  transition: TransitionName,
  hold: Pick<
    Reservation,
    'reservationId' | 'sku' | 'locationId' | 'parts' | 'quantity' | 'ownerId' | 'countedHold'
  >,
  scope: OwnerScope,
  actor: PrincipalId,
  reason: string | null,
  /** The hold's cart makes the transition (its release or compensation): see TransitionCommand.byCart. */
  byCart = false,
): Promise<TransitionOutcome> {
  const now = deps.clock.now();
  return deps.holds.transition({
    transition,
    hold: {
      reservationId: hold.reservationId,
      sku: hold.sku,
      locationId: hold.locationId,
      parts: hold.parts,
      quantity: hold.quantity,
      ownerId: hold.ownerId,
      countedHold: hold.countedHold,
    },
    ownerId: scope,
    nowMs: now,
    movementId: deps.ids.next(),
    context: changeContext(deps, { actor, reason }),
    resolvedTtlEpochSeconds: Math.ceil(now / 1000) + deps.holdPolicy.retentionSeconds,
    byCart,
  });
}
