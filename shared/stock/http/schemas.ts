import * as z from 'zod';
import {
  countSchema,
  deltaSchema,
  intBetween,
  locationIdSchema,
  movementReferenceSchema,
  principalIdSchema,
  quantitySchema,
  queryIntBetween,
  reasonSchema,
  reservationIdSchema,
  skuSchema,
  timestampSchema,
  versionSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { MOVEMENT_TYPES } from '../domain/movement.js';
import { MAX_SHARDS } from '../domain/sharding.js';
import { COUNTED_BUCKETS } from '../domain/stock-level.js';

export const skuPath = z.strictObject({ sku: skuSchema });
export const levelPath = z.strictObject({ sku: skuSchema, locationId: locationIdSchema });

export const receiveRequest = named(
  z.strictObject({
    quantity: quantitySchema,
    reason: reasonSchema.optional(),
    reference: movementReferenceSchema.optional(),
  }),
  'ReceiveRequest',
);

export const adjustRequest = named(
  z.strictObject({
    delta: deltaSchema,
    reason: reasonSchema,
    reference: movementReferenceSchema.optional(),
  }),
  'AdjustRequest',
);

export const countRequest = named(
  z.strictObject({
    onHand: countSchema.describe('The counted quantity on hand.'),
    expectedVersion: versionSchema.describe('The version of the level the count was made against.'),
    reason: reasonSchema.optional(),
  }),
  'CountRequest',
);

export const shardRequest = named(
  z.strictObject({
    shards: intBetween(1, MAX_SHARDS).describe(
      'How many sub-counters the level is split into (1 merges it back); see docs/hot-skus.md.',
    ),
  }),
  'ShardRequest',
);

export const blockRequest = named(
  z.strictObject({
    quantity: quantitySchema,
    reason: reasonSchema.optional(),
    reference: movementReferenceSchema.optional(),
  }),
  'BlockRequest',
);

export const transferRequest = named(
  z.strictObject({
    from: locationIdSchema,
    to: locationIdSchema,
    quantity: quantitySchema,
    reason: reasonSchema.optional(),
    reference: movementReferenceSchema.optional(),
  }),
  'TransferRequest',
);

const cursorError = 'must be a cursor returned by this API';
export const movementsQuery = z.strictObject({
  limit: queryIntBetween(1, 100).optional(),
  // `+` and maxLength rather than {1,2048}: RE2 (Go) refuses repetition counts above 1000.
  cursor: z
    .string({ error: cursorError })
    .max(2048, { error: cursorError })
    .regex(/^[A-Za-z0-9_-]+$/, { error: cursorError })
    .optional(),
  order: z.enum(['asc', 'desc'], { error: "must be 'asc' or 'desc'" }).optional(),
});

const counter = z.int().min(0);

export const levelSchema = named(
  z.object({
    sku: skuSchema,
    locationId: locationIdSchema,
    onHand: counter,
    reserved: counter,
    committed: counter,
    unavailable: counter,
    safetyStock: counter,
    incoming: counter,
    available: counter.describe('onHand - reserved - committed - unavailable - safetyStock'),
    version: counter.describe('Number of changes applied to the level; the expectedVersion of a count.'),
    reorderPoint: counter.nullable(),
    reorderQuantity: counter.nullable(),
    shards: intBetween(1, 64).describe(
      'Sub-counters the level is split into (docs/hot-skus.md); 1 when not sharded.',
    ),
    expiredHeld: z
      .object({ holds: counter, quantity: counter })
      .optional()
      .describe(
        'The part of `reserved` held by holds that have expired but are not released yet (the sweeper releases them within a minute; a reserve reclaims them at once).',
      ),
    updatedAt: timestampSchema.nullable(),
  }),
  'StockLevel',
);

export const stockChangeSchema = named(
  z.object({ movementIds: z.array(z.string()), level: levelSchema }),
  'StockChange',
);

export const transferResultSchema = named(
  z.object({ movementIds: z.array(z.string()), from: levelSchema, to: levelSchema }),
  'TransferResult',
);

export const movementSchema = named(
  z.object({
    movementId: z.string(),
    sku: skuSchema,
    locationId: locationIdSchema,
    type: z.enum(MOVEMENT_TYPES),
    delta: z.partialRecord(z.enum(COUNTED_BUCKETS), z.int()),
    reason: z.string().nullable(),
    reference: movementReferenceSchema.nullable(),
    reservationId: reservationIdSchema.nullable(),
    actor: principalIdSchema,
    at: timestampSchema,
  }),
  'Movement',
);

export const movementPageSchema = named(
  z.object({
    movements: z.array(movementSchema),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
  }),
  'MovementPage',
);
