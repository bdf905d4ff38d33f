import { ValidationError } from '../../kernel/errors.js';
import type { LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import { MAX_QUANTITY } from '../../kernel/quantity.js';

/**
 * Replenishment: a level's policy (reorder point, reorder quantity, safety stock) and the replenishment request
 * opened when its `available` falls below the reorder point. Pure: no I/O.
 */

/** A change of a level's policy: absent fields keep their value, null clears a reorder point or quantity. */
export interface PolicyChange {
  readonly reorderPoint?: number | null;
  readonly reorderQuantity?: number | null;
  readonly safetyStock?: number;
}

function parseOptionalLimit(value: unknown, field: string, min: number): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_QUANTITY) {
    throw new ValidationError(field, `${field} must be null or an integer from ${min} to ${MAX_QUANTITY}`);
  }
  return value;
}

/**
 * Validates a policy change. A reorder point is at least 1 (a level is low when `available < reorderPoint`);
 * a reorder quantity is positive; a safety stock is a count. Clearing the reorder point clears the reorder
 * quantity too; a reorder quantity needs a reorder point (given now, or already set: checked by the use case).
 */
export function parsePolicyChange(input: {
  reorderPoint?: unknown;
  reorderQuantity?: unknown;
  safetyStock?: unknown;
}): PolicyChange {
  const reorderPoint = parseOptionalLimit(input.reorderPoint, 'reorderPoint', 1);
  const reorderQuantity = parseOptionalLimit(input.reorderQuantity, 'reorderQuantity', 1);
  let safetyStock: number | undefined;
  if (input.safetyStock !== undefined) {
    const s = input.safetyStock;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > MAX_QUANTITY) {
      throw new ValidationError('safetyStock', `safetyStock must be an integer from 0 to ${MAX_QUANTITY}`);
    }
    safetyStock = s;
  }
  if (reorderPoint === undefined && reorderQuantity === undefined && safetyStock === undefined) {
    throw new ValidationError('policy', 'give at least one of reorderPoint, reorderQuantity, safetyStock');
  }
  if (reorderPoint === null && typeof reorderQuantity === 'number') {
    throw new ValidationError('reorderQuantity', 'a reorder quantity needs a reorder point');
  }
  return {
    ...(reorderPoint !== undefined ? { reorderPoint } : {}),
    ...(reorderQuantity !== undefined
      ? { reorderQuantity }
      : reorderPoint === null
        ? { reorderQuantity: null }
        : {}),
    ...(safetyStock !== undefined ? { safetyStock } : {}),
  };
}

export const REPLENISHMENT_STATUSES = ['OPEN', 'RECEIVED', 'CANCELLED'] as const;
export type ReplenishmentStatus = (typeof REPLENISHMENT_STATUSES)[number];

/** Open requests, or closed ones (received or cancelled): the two lists the index serves. */
export type ReplenishmentState = 'OPEN' | 'CLOSED';

export const stateOf = (status: ReplenishmentStatus): ReplenishmentState =>
  status === 'OPEN' ? 'OPEN' : 'CLOSED';

/** Why a request was opened: the StockLow that reported the crossing. */
export interface ReplenishmentTrigger {
  readonly eventId: string;
  readonly movementId: string;
  readonly available: number;
  readonly reorderPoint: number;
}

export interface ReplenishmentRequest {
  readonly requestId: string;
  readonly sku: Sku;
  readonly locationId: LocationId;
  /** Units requested (the reorder quantity); `incoming` rose by this much when the request was opened. */
  readonly quantity: number;
  /** Units received against the request so far. */
  readonly receivedQuantity: number;
  readonly status: ReplenishmentStatus;
  readonly trigger: ReplenishmentTrigger;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
  /** Who closed it (the receiving clerk, or whoever cancelled it). */
  readonly closedBy: PrincipalId | null;
  readonly reason: string | null;
}

/** Units still expected: they are in the level's `incoming`. */
export const outstandingOf = (r: Pick<ReplenishmentRequest, 'quantity' | 'receivedQuantity'>): number =>
  Math.max(0, r.quantity - r.receivedQuantity);

export interface ReceiptPlan {
  /** Units that leave `incoming` (at most what is outstanding). */
  readonly fromIncoming: number;
  /** Units that arrive in `onHand` (all of them: units beyond the request just add to on-hand). */
  readonly toOnHand: number;
  /** The receipt completes the request. */
  readonly closes: boolean;
  readonly receivedAfter: number;
}

/** What receiving `quantity` units against an open request does. */
export function planReceipt(request: ReplenishmentRequest, quantity: number): ReceiptPlan {
  const outstanding = outstandingOf(request);
  return {
    fromIncoming: Math.min(quantity, outstanding),
    toOnHand: quantity,
    closes: quantity >= outstanding,
    receivedAfter: request.receivedQuantity + quantity,
  };
}
