import type { Reservation } from '../../holds/domain/reservation.js';
import type { OwnerScope } from '../../holds/use-cases/reservations.js';
import type { LocationId } from '../../kernel/identifiers.js';
import type { Caller, Role } from './caller.js';
import { HttpProblem } from './problem.js';

/**
 * The authorization rules, beyond the route's roles: warehouses act only on their locations, buyers see only
 * their own reservations, admins may do everything.
 */
export const isAdmin = (caller: Caller): boolean => caller.roles.has('admin');

export function hasAnyRole(caller: Caller, roles: readonly Role[]): boolean {
  return roles.some((role) => caller.roles.has(role));
}

/** The route's roles, checked again in the handler (defence in depth behind the gateway). */
export function requireAnyRole(caller: Caller, roles: readonly Role[]): void {
  if (!hasAnyRole(caller, roles)) {
    throw new HttpProblem('forbidden', `this operation needs one of the roles: ${roles.join(', ')}`);
  }
}

export function mayOperateAt(caller: Caller, locationId: LocationId): boolean {
  return isAdmin(caller) || (caller.roles.has('warehouse') && caller.locations.has(locationId));
}

/** A warehouse caller must be scoped to every location the operation touches. */
export function requireLocations(caller: Caller, ...locationIds: readonly LocationId[]): void {
  const outside = locationIds.find((id) => !mayOperateAt(caller, id));
  if (outside !== undefined) {
    throw new HttpProblem('forbidden', `the caller may not operate on location ${outside}`, {
      locationId: outside,
    });
  }
}

/** Whose reservations the caller may touch through the use cases: anyone's for an admin, else its own. */
export function ownerScope(caller: Caller): OwnerScope {
  return isAdmin(caller) ? null : caller.principal;
}

/**
 * Whether the caller may see a reservation: an admin sees all, a buyer its own, and (where the route lets
 * warehouses act on holds) a warehouse those at its locations. Everything else is answered as not found.
 */
export function maySeeReservation(
  caller: Caller,
  reservation: Pick<Reservation, 'ownerId' | 'locationId'>,
  warehouseMayAct: boolean,
): boolean {
  if (isAdmin(caller)) return true;
  if (caller.roles.has('storefront') && reservation.ownerId === caller.principal) return true;
  return warehouseMayAct && caller.roles.has('warehouse') && caller.locations.has(reservation.locationId);
}
