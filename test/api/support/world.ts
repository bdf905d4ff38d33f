import { completeCart, createCart, reserveCartStep } from '../../../shared/carts/use-cases/carts.js';
import { reserveStock, resolveHold } from '../../../shared/holds/use-cases/reservations.js';
import {
  type CartId,
  type LocationId,
  type PrincipalId,
  parseCartId,
  type ReservationId,
  type Sku,
} from '../../../shared/kernel/identifiers.js';
import {
  openReplenishmentRequest,
  setReplenishmentPolicy,
} from '../../../shared/replenishment/use-cases/replenishment.js';
import { aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../../support/fixtures.js';
import type { TestApi } from './api.js';

/** Callers of the API, each with its token. */
export interface Actor {
  readonly sub: PrincipalId;
  readonly token: string;
}

export async function anAdmin(api: TestApi): Promise<Actor> {
  const sub = aPrincipal('admin');
  return { sub, token: await api.token({ sub, roles: ['admin'] }) };
}

/** A read-only analyst (the aggregates and the change feed). */
export async function anAnalyst(api: TestApi): Promise<Actor> {
  const sub = aPrincipal('analyst');
  return { sub, token: await api.token({ sub, roles: ['analyst'] }) };
}

export async function aBuyer(api: TestApi, name = 'shop'): Promise<Actor> {
  const sub = aPrincipal(name);
  return { sub, token: await api.token({ sub, roles: ['storefront'] }) };
}

export async function aWarehouse(api: TestApi, locations: readonly LocationId[]): Promise<Actor> {
  const sub = aPrincipal('clerk');
  return { sub, token: await api.token({ sub, roles: ['warehouse'], locations }) };
}

/** A level with units on hand at a new location. */
export function aLevel(api: TestApi, onHand = 10, sku: Sku = aSku(), locationId?: LocationId) {
  return aStockedLevel(api.deps, onHand, sku, locationId);
}

export function aNewLocation(api: TestApi): Promise<LocationId> {
  return aLocation(api.deps);
}

/** A live hold owned by `owner`, made directly through the use case. */
export async function aHold(
  api: TestApi,
  owner: PrincipalId,
  level: { sku: Sku; locationId: LocationId },
  quantity = 1,
): Promise<ReservationId> {
  const { reservation } = await reserveStock(api.deps, { ...level, quantity }, owner);
  return reservation.reservationId;
}

/** A hold already confirmed (a committed order line). */
export async function aConfirmedHold(
  api: TestApi,
  owner: PrincipalId,
  level: { sku: Sku; locationId: LocationId },
  quantity = 1,
): Promise<ReservationId> {
  const reservationId = await aHold(api, owner, level, quantity);
  await resolveHold(api.deps, 'confirm', { reservationId }, owner, owner);
  return reservationId;
}

let carts = 0;
export const aCartId = (): CartId => parseCartId(`cart-${Date.now().toString(36)}-${carts++}`);

/** A cart of one line at one level, held for `owner` (the saga's steps run directly through the use cases). */
export async function aHeldCart(
  api: TestApi,
  owner: PrincipalId,
  level: { sku: Sku; locationId: LocationId },
  quantity = 1,
): Promise<CartId> {
  const cartId = aCartId();
  await createCart(
    api.deps,
    { cartId, lines: [{ sku: level.sku, quantity, locationId: null }], strategy: 'priority' },
    owner,
    [{ locationId: level.locationId, lines: [{ lineIndex: 0, sku: level.sku, quantity }] }],
  );
  await reserveCartStep(api.deps, { ownerId: owner, cartId, stepIndex: 0 });
  await completeCart(api.deps, { ownerId: owner, cartId });
  return cartId;
}

/**
 * An open replenishment request at a level, opened directly through the consumer's use case as a StockLow
 * would (a policy of reorder point `reorderPoint` and quantity `quantity`, the StockLow reporting `available`).
 */
export async function anOpenReplenishment(
  api: TestApi,
  level: { sku: Sku; locationId: LocationId },
  quantity = 20,
): Promise<string> {
  await setReplenishmentPolicy(
    api.deps,
    { ...level, reorderPoint: 5, reorderQuantity: quantity },
    { actor: WAREHOUSE_CLERK },
  );
  const movementId = api.deps.ids.next();
  const opened = await openReplenishmentRequest(api.deps, {
    eventId: `StockLow#${movementId}`,
    occurredAt: new Date().toISOString(),
    ...level,
    available: 4,
    reorderPoint: 5,
    reorderQuantity: quantity,
    movementId,
  });
  if (opened.outcome !== 'opened' || !opened.request) throw new Error(`no request opened: ${opened.outcome}`);
  return opened.request.requestId;
}
