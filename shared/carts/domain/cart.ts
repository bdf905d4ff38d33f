import { deterministicId } from '../../kernel/fingerprint.js';
import type { CartId, LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';

export { CART_STATUSES, type CartStatus } from './cart-status.js';

import type { CartStatus } from './cart-status.js';

export type { AllocationStrategy as AllocationStrategyName } from './allocation.js';

import type { AllocationStrategy } from './allocation.js';

/** The most holds one cart may plan (its confirm is one transaction of at most 100 items). */
export const MAX_CART_HOLDS = 30;

export interface CartLine {
  readonly sku: Sku;
  readonly quantity: number;
  readonly locationId: LocationId | null;
}

/** One hold the plan calls for: a line (or part of a split line) at one warehouse, in one step. */
export interface PlannedHold {
  readonly reservationId: ReservationId;
  readonly stepIndex: number;
  readonly lineIndex: number;
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly quantity: number;
}

export interface CartFailure {
  readonly lineIndex: number | null;
  readonly sku: Sku | null;
  readonly locationId: LocationId | null;
  readonly code: string;
  readonly detail: string;
  readonly available: number | null;
}

export interface Cart {
  readonly cartId: CartId;
  readonly ownerId: PrincipalId;
  readonly status: CartStatus;
  readonly strategy: AllocationStrategy;
  readonly lines: readonly CartLine[];
  readonly holds: readonly PlannedHold[];
  /** Epoch milliseconds: every hold of the cart expires then. */
  readonly expiresAt: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly failure: CartFailure | null;
}

/**
 * The id of a planned hold, derived from the owner, the cart, the step and the line: a retried or re-driven
 * saga step lands on the holds of its first attempt, and compensation knows every hold a step could have made.
 */
export function plannedHoldId(
  ownerId: PrincipalId,
  cartId: CartId,
  stepIndex: number,
  lineIndex: number,
): ReservationId {
  return deterministicId(ownerId, 'cart', cartId, String(stepIndex), String(lineIndex)) as ReservationId;
}

export interface CartStep {
  readonly stepIndex: number;
  readonly locationId: LocationId;
  readonly holds: readonly PlannedHold[];
}

/** The plan's steps: one per warehouse, in plan order. */
export function stepsOf(cart: Pick<Cart, 'holds'>): CartStep[] {
  const steps = new Map<number, PlannedHold[]>();
  for (const hold of cart.holds) steps.set(hold.stepIndex, [...(steps.get(hold.stepIndex) ?? []), hold]);
  return [...steps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([stepIndex, holds]) => ({ stepIndex, locationId: (holds[0] as PlannedHold).locationId, holds }));
}

/**
 * The status a cart is reported with: its stored status, except that a HELD cart past its expiry is EXPIRED
 * (every hold of a cart expires with it, and the sweeper expires them on its own schedule: ADR 15).
 */
export function reportedCartStatus(cart: Pick<Cart, 'status' | 'expiresAt'>, nowMs: number): CartStatus {
  return cart.status === 'HELD' && cart.expiresAt <= nowMs ? 'EXPIRED' : cart.status;
}
