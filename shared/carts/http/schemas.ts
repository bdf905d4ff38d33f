import * as z from 'zod';
import { RESERVATION_STATUSES } from '../../holds/domain/reservation.js';
import { CART_PATTERN, type CartId } from '../../kernel/identifiers.js';
import { coordinatesSchema } from '../../locations/http/schemas.js';
import {
  locationIdSchema,
  principalIdSchema,
  quantitySchema,
  reservationIdSchema,
  skuSchema,
  timestampSchema,
  ttlSecondsSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { ALLOCATION_STRATEGIES, MAX_CART_LINES } from '../domain/allocation.js';
import { CART_STATUSES } from '../domain/cart-status.js';

const cartIdRule = '1 to 64 letters, digits and . _ : - (starting with a letter or digit)';

export const cartIdSchema = named(
  z
    .string({ error: `must be ${cartIdRule}` })
    .regex(CART_PATTERN, { error: `must be ${cartIdRule}` })
    .transform((value) => value as CartId),
  'CartId',
  "The caller's own id for the cart, e.g. its checkout id: the same request with the same id is answered with the same cart.",
);

export const cartPath = z.strictObject({ cartId: cartIdSchema });

export const cartLineSchema = named(
  z.strictObject({
    sku: skuSchema,
    quantity: quantitySchema,
    locationId: locationIdSchema
      .optional()
      .describe('Pins the line to one location (a store pickup); any active location when absent.'),
  }),
  'CartLine',
);

export const reserveCartRequest = named(
  z
    .strictObject({
      lines: z
        .array(cartLineSchema, { error: `must be a list of 1 to ${MAX_CART_LINES} lines` })
        .min(1, { error: `must be a list of 1 to ${MAX_CART_LINES} lines` })
        .max(MAX_CART_LINES, { error: `must be a list of 1 to ${MAX_CART_LINES} lines` }),
      strategy: z
        .enum(ALLOCATION_STRATEGIES, { error: `must be one of ${ALLOCATION_STRATEGIES.join(', ')}` })
        .describe(
          'Which warehouses serve the cart: `priority` (location priority), `fewest-shipments` (as few locations as possible), `nearest` (to `destination`).',
        ),
      destination: coordinatesSchema.optional().describe('Where the cart ships to; required by `nearest`.'),
      ttlSeconds: ttlSecondsSchema.optional(),
    })
    .refine((body) => body.strategy !== 'nearest' || body.destination !== undefined, {
      error: 'is required by the nearest strategy',
      path: ['destination'],
    }),
  'ReserveCartRequest',
  undefined,
  {
    if: { properties: { strategy: { const: 'nearest' } }, required: ['strategy'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, data that is never awaited.
    then: { required: ['destination'] },
  },
);

export const cartFailureSchema = named(
  z.object({
    code: z.string().describe('The problem type name of the failure, e.g. `insufficient-stock`.'),
    detail: z.string(),
    lineIndex: z.int().nullable().describe('The line that could not be held.'),
    sku: skuSchema.nullable(),
    locationId: locationIdSchema.nullable(),
    available: z.int().nullable(),
  }),
  'CartFailure',
);

export const cartSchema = named(
  z.object({
    cartId: cartIdSchema,
    ownerId: principalIdSchema,
    status: z
      .enum(CART_STATUSES)
      .describe(
        'PENDING while the saga runs, COMPENSATING while a failed one releases its holds, then HELD or FAILED; a held cart becomes CONFIRMED or RELEASED as a whole.',
      ),
    strategy: z.enum(ALLOCATION_STRATEGIES),
    lines: z.array(
      z.object({ sku: skuSchema, quantity: z.int().min(1), locationId: locationIdSchema.nullable() }),
    ),
    holds: z
      .array(
        z.object({
          reservationId: reservationIdSchema,
          lineIndex: z.int().min(0),
          sku: skuSchema,
          locationId: locationIdSchema,
          quantity: z.int().min(1),
          status: z
            .enum(RESERVATION_STATUSES)
            .nullable()
            .describe('The hold as it is now; null for a hold the saga never made.'),
        }),
      )
      .describe('One hold per line and warehouse of the plan; a line split across warehouses has several.'),
    expiresAt: timestampSchema.describe('When every hold of the cart expires if not confirmed.'),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    failure: cartFailureSchema.nullable(),
  }),
  'Cart',
);
