import * as z from 'zod';
import {
  base,
  counter,
  defineEvent,
  locationId,
  movementDetail,
  movementId,
  movementReference,
  onlyBuckets,
  principal,
  quantity,
  sku,
} from './detail-fields.js';

/** The events of a stock change on a level: one per movement (ledger entry), `{detail-type}#{movementId}`. */
export const STOCK_EVENTS = [
  defineEvent({
    type: 'StockReceived',
    when: 'Units were received into a level (on-hand and available rose by the quantity).',
    detail: movementDetail(z.literal('RECEIVED'), { quantity }),
    idParts: (d) => [d.movementId],
    checks: [
      // A receipt against a replenishment request also takes what it brings out of `incoming`.
      (d) =>
        onlyBuckets(
          d,
          d.delta.incoming !== undefined && d.delta.incoming < 0
            ? { onHand: d.quantity, incoming: d.delta.incoming }
            : { onHand: d.quantity },
        ),
    ],
  }),
  defineEvent({
    type: 'StockAdjusted',
    when: 'On-hand was adjusted by a signed delta, with a reason (shrinkage, found stock, damage).',
    detail: movementDetail(z.literal('ADJUSTED'), {
      reason: z.string().min(1).describe('Why on-hand was adjusted (required for an adjustment).'),
    }),
    idParts: (d) => [d.movementId],
    checks: [(d) => (d.delta.onHand === undefined ? 'delta must change onHand' : null)],
  }),
  defineEvent({
    type: 'StockMoved',
    when: 'Units were blocked (available to unavailable) or unblocked (back to available).',
    detail: movementDetail(z.enum(['BLOCKED', 'UNBLOCKED']), {
      quantity: quantity.describe('Units blocked (available to unavailable) or unblocked (back).'),
    }),
    idParts: (d) => [d.movementId],
    checks: [
      (d) =>
        onlyBuckets(d, d.type === 'BLOCKED' ? { unavailable: d.quantity } : { unavailable: -d.quantity }),
    ],
  }),
  defineEvent({
    type: 'StockCounted',
    when: 'A physical count set on-hand to the counted quantity (compare-and-set on the version); the delta may be empty.',
    detail: movementDetail(z.literal('COUNTED'), {
      previousOnHand: counter.describe('On-hand before the count.'),
      countedOnHand: counter.describe('The counted quantity, now the on-hand.'),
    }),
    idParts: (d) => [d.movementId],
    checks: [
      (d) =>
        onlyBuckets(
          d,
          d.countedOnHand === d.previousOnHand ? {} : { onHand: d.countedOnHand - d.previousOnHand },
        ),
    ],
  }),
  defineEvent({
    type: 'TransferCompleted',
    when: 'Units left one location and arrived at another, in one transaction.',
    detail: z.object({
      ...base,
      sku,
      quantity,
      from: z
        .object({ locationId, movementId })
        .describe('The source level and its TRANSFERRED_OUT movement.'),
      to: z
        .object({ locationId, movementId })
        .describe('The destination level and its TRANSFERRED_IN movement.'),
      reason: z.string().nullable(),
      reference: movementReference,
      actor: principal,
    }),
    // One event per transfer: its source movement.
    idParts: (d) => [d.from.movementId],
    checks: [(d) => (d.from.locationId === d.to.locationId ? 'from and to must differ' : null)],
  }),
] as const;
