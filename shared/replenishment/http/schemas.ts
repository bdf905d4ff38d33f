import * as z from 'zod';
import { RESERVATION_PATTERN } from '../../kernel/identifiers.js';
import { MAX_QUANTITY } from '../../kernel/quantity.js';
import {
  intBetween,
  locationIdSchema,
  principalIdSchema,
  quantitySchema,
  reasonSchema,
  skuSchema,
  timestampSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { levelSchema, movementsQuery } from '../../stock/http/schemas.js';
import { REPLENISHMENT_STATUSES } from '../domain/replenishment.js';

/** Requests and answers of the replenishment routes: a level's policy, and its replenishment requests. */

/** A request id is a ULID (26 characters of Crockford base32), like a reservation id. */
export const requestIdSchema = named(
  z
    .string({ error: 'must be 26 characters of Crockford base32' })
    .regex(RESERVATION_PATTERN, { error: 'must be 26 characters of Crockford base32' }),
  'ReplenishmentRequestId',
  'A replenishment request id.',
);

export const requestPath = z.strictObject({
  sku: skuSchema,
  locationId: locationIdSchema,
  requestId: requestIdSchema,
});

export const policyRequest = named(
  z
    .strictObject({
      reorderPoint: intBetween(1, MAX_QUANTITY)
        .nullable()
        .optional()
        .describe(
          'The level is low when `available` falls below it; null clears it (and the reorder quantity).',
        ),
      reorderQuantity: intBetween(1, MAX_QUANTITY)
        .nullable()
        .optional()
        .describe(
          'Units a replenishment request asks for; null: StockLow only alerts. Needs a reorder point.',
        ),
      safetyStock: intBetween(0, MAX_QUANTITY)
        .optional()
        .describe('Units kept back from `available` (taken from what is available now).'),
    })
    .refine((body) => Object.keys(body).length > 0, {
      error: 'give at least one of reorderPoint, reorderQuantity, safetyStock',
    }),
  'ReplenishmentPolicyRequest',
  'Absent fields keep their value.',
  { minProperties: 1 },
);

export const receiveAgainstRequest = named(
  z.strictObject({
    quantity: quantitySchema.describe(
      'Units received; up to what the request still expects leaves `incoming`, all of them arrive on hand.',
    ),
    reason: reasonSchema.optional(),
  }),
  'ReplenishmentReceiveRequest',
);

export const cancelRequest = named(
  z.strictObject({ reason: reasonSchema.optional() }),
  'ReplenishmentCancelRequest',
);

const { limit, cursor } = movementsQuery.shape;
export const replenishmentsQuery = z.strictObject({
  state: z
    .enum(['OPEN', 'CLOSED'], { error: "must be 'OPEN' or 'CLOSED'" })
    .optional()
    .describe('OPEN (the default) or CLOSED (received or cancelled).'),
  sku: skuSchema.optional().describe('With `locationId`: the requests of that one level.'),
  locationId: locationIdSchema.optional(),
  limit,
  cursor,
});

const counter = z.int().min(0);

export const replenishmentSchema = named(
  z.object({
    requestId: z.string(),
    sku: skuSchema,
    locationId: locationIdSchema,
    quantity: counter.describe('Units requested (the reorder quantity).'),
    receivedQuantity: counter,
    outstanding: counter.describe('Units still expected (part of the level incoming).'),
    status: z.enum(REPLENISHMENT_STATUSES),
    trigger: z.object({
      eventId: z.string().describe('The StockLow event that opened the request.'),
      movementId: z.string(),
      available: counter,
      reorderPoint: counter,
    }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    closedAt: timestampSchema.nullable(),
    closedBy: principalIdSchema.nullable(),
    reason: z.string().nullable(),
  }),
  'ReplenishmentRequest',
);

export const replenishmentPageSchema = named(
  z.object({
    requests: z.array(replenishmentSchema),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Pass as `cursor` for the next page; null on the last page. A location-filtered page may hold fewer requests than `limit` (up to 5 index pages are read to fill it).',
      ),
  }),
  'ReplenishmentPage',
);

export const replenishmentReceiptSchema = named(
  z.object({
    movementIds: z.array(z.string()),
    request: replenishmentSchema,
    level: levelSchema,
  }),
  'ReplenishmentReceipt',
);
