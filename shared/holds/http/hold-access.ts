import { NotFoundError } from '../../kernel/errors.js';
import type { ReservationId } from '../../kernel/identifiers.js';
import { isAdmin, maySeeReservation } from '../../platform/http/authorization.js';
import type { Caller } from '../../platform/http/caller.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import { getReservation, type OwnerScope } from '../use-cases/reservations.js';

/**
 * The owner scope to hand to a reservation use case. An admin acts on any hold and a buyer on its own (the use
 * case answers someone else's as not found). Where the route lets warehouses act, a warehouse caller's access
 * depends on the hold's location, so the hold is read first; one it may not see is not found either.
 */
export async function holdScope(
  deps: UseCaseDeps,
  caller: Caller,
  reservationId: ReservationId,
  warehouseMayAct: boolean,
): Promise<OwnerScope> {
  if (isAdmin(caller)) return null;
  if (!warehouseMayAct || !caller.roles.has('warehouse')) return caller.principal;
  const reservation = await getReservation(deps, reservationId, null);
  if (!maySeeReservation(caller, reservation, true)) throw new NotFoundError('reservation', reservationId);
  return null;
}
