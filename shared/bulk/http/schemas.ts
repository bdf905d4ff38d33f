import * as z from 'zod';
import {
  countSchema,
  deltaSchema,
  idempotencyKeySchema,
  locationIdSchema,
  movementReferenceSchema,
  quantitySchema,
  reasonSchema,
  skuSchema,
  versionSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { levelSchema } from '../../stock/http/schemas.js';
import { MAX_ATOMIC_ROWS, MAX_BATCH_ROWS } from '../domain/batch.js';

const rowBase = {
  sku: skuSchema,
  locationId: locationIdSchema,
  reason: reasonSchema.optional(),
  reference: movementReferenceSchema.optional(),
  idempotencyKey: idempotencyKeySchema
    .optional()
    .describe(
      "The row's own idempotency key (scoped to the caller and the row's operation, as an Idempotency-Key header is): a replayed row answers its first result and applies nothing.",
    ),
};

const opError = "must be one of 'receipt', 'adjustment', 'count', 'block', 'unblock'";

export const batchRowSchema = named(
  z.discriminatedUnion(
    'op',
    [
      z.strictObject({ op: z.literal('receipt'), ...rowBase, quantity: quantitySchema }),
      z.strictObject({ op: z.literal('adjustment'), ...rowBase, delta: deltaSchema, reason: reasonSchema }),
      z.strictObject({
        op: z.literal('count'),
        ...rowBase,
        onHand: countSchema.describe('The counted quantity on hand.'),
        expectedVersion: versionSchema.describe('The version of the level the count was made against.'),
      }),
      z.strictObject({ op: z.literal('block'), ...rowBase, quantity: quantitySchema }),
      z.strictObject({ op: z.literal('unblock'), ...rowBase, quantity: quantitySchema }),
    ],
    { error: opError },
  ),
  'BatchRow',
  'One stock change: a receipt, an adjustment (a reason is required), a count (compare-and-set on `expectedVersion`), a block or an unblock.',
);

const rows = (max: number) => {
  const error = `must be a list of 1 to ${max} rows`;
  return z.array(batchRowSchema, { error }).min(1, { error }).max(max, { error });
};

export const stockBatchRequest = named(
  z.discriminatedUnion(
    'policy',
    [
      z.strictObject({
        policy: z
          .literal('all-or-nothing')
          .describe(
            'Every row applied in one transaction, or none (at most 25 rows, each on its own level).',
          ),
        rows: rows(MAX_ATOMIC_ROWS),
      }),
      z.strictObject({
        policy: z
          .literal('skip-failed-rows')
          .describe('Each valid row applied on its own; the others reported (at most 100 rows).'),
        rows: rows(MAX_BATCH_ROWS),
      }),
    ],
    { error: "must be 'all-or-nothing' or 'skip-failed-rows'" },
  ),
  'StockBatchRequest',
);

export const rowProblemSchema = named(
  z.object({
    type: z.string().describe('A problem type URI of the API (docs/api.md "Problems").'),
    detail: z.string(),
    field: z
      .string()
      .nullable()
      .describe('The field of the row that refused it, e.g. `rows.3.quantity`; null when another row did.'),
  }),
  'RowProblem',
);

export const rowResultSchema = named(
  z.object({
    index: z.int().min(0).describe('The position of the row in `rows`.'),
    status: z.enum(['applied', 'refused', 'replayed']),
    movementId: z
      .string()
      .optional()
      .describe('The movement the row wrote (its first, when it was replayed).'),
    level: levelSchema.optional().describe('The level after the row (as read right after it).'),
    problem: rowProblemSchema.optional().describe('Why the row was refused; it changed nothing.'),
  }),
  'RowResult',
);

export const stockBatchResultSchema = named(
  z.object({
    results: z.array(rowResultSchema).describe('One result per row, in the order of `rows`.'),
    counts: z.object({
      rows: z.int().min(0),
      applied: z.int().min(0),
      replayed: z.int().min(0),
      refused: z
        .int()
        .min(0)
        .describe('Under all-or-nothing, any refused row means that no row was applied.'),
    }),
  }),
  'StockBatchResult',
);
