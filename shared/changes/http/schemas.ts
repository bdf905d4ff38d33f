import * as z from 'zod';
import {
  locationIdSchema,
  movementReferenceSchema,
  principalIdSchema,
  queryIntBetween,
  reservationIdSchema,
  skuSchema,
  timestampSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { MOVEMENT_TYPES } from '../../stock/domain/movement.js';
import { COUNTED_BUCKETS } from '../../stock/domain/stock-level.js';

const cursorError = 'must be a cursor returned by GET /changes';

export const changesQuery = z.strictObject({
  // `+` and maxLength rather than {1,256}: RE2 (Go) reads them the same way.
  after: z
    .string({ error: cursorError })
    .max(256, { error: cursorError })
    .regex(/^[A-Za-z0-9_-]+$/, { error: cursorError })
    .optional()
    .describe('A `nextCursor` of an earlier page; absent: from the first change.'),
  limit: queryIntBetween(1, 100).optional().describe('Changes per page (100).'),
  sku: skuSchema.optional().describe("Only this SKU's changes."),
  locationId: locationIdSchema.optional().describe("Only this location's changes."),
});

const counter = z.int();

export const changeSchema = named(
  z.object({
    seq: z.int().min(1).describe("The change's position in the feed: dense, never reused."),
    sku: skuSchema,
    locationId: locationIdSchema,
    shard: z.int().min(0).describe('The level shard changed (0 unless the level is sharded).'),
    version: z
      .int()
      .min(1)
      .describe("The level shard's version right after the change: its order per shard."),
    movementId: z.string(),
    type: z.enum(MOVEMENT_TYPES),
    delta: z.partialRecord(z.enum(COUNTED_BUCKETS), z.int()),
    reason: z.string().nullable(),
    reference: movementReferenceSchema.nullable(),
    reservationId: reservationIdSchema.nullable(),
    actor: principalIdSchema,
    at: timestampSchema,
    level: z
      .object({
        onHand: counter,
        reserved: counter,
        committed: counter,
        unavailable: counter,
        safetyStock: counter,
        incoming: counter,
        available: counter,
      })
      .describe("The level shard's figures right after the change."),
  }),
  'Change',
);

export const changePageSchema = named(
  z.object({
    changes: z.array(changeSchema),
    nextCursor: z
      .string()
      .describe(
        'Pass as `after` for the next page; given on every page, the last one included, to resume later.',
      ),
    hasMore: z.boolean().describe('Whether the feed held more changes after this page when it was read.'),
  }),
  'ChangePage',
);
