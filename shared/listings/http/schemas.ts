import * as z from 'zod';
import { CART_STATUSES } from '../../carts/domain/cart-status.js';
import { cartSchema } from '../../carts/http/schemas.js';
import { RESERVATION_STATUSES } from '../../holds/domain/reservation.js';
import { reservationSchema } from '../../holds/http/schemas.js';
import {
  locationIdSchema,
  principalIdSchema,
  skuSchema,
  timestampSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { levelSchema, movementsQuery } from '../../stock/http/schemas.js';
import { LEVEL_FILTERS } from '../domain/level-filters.js';

const { limit, cursor } = movementsQuery.shape;
const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null once the listing has no more rows.');

export const skuPrefixSchema = z
  .string({ error: 'must be 1 to 64 letters, digits and . _ : -' })
  .regex(/^[A-Za-z0-9._:-]+$/, { error: 'must be 1 to 64 letters, digits and . _ : -' })
  .max(64, { error: 'must be 1 to 64 letters, digits and . _ : -' })
  .describe('Only SKUs that start with this (case-sensitive).');

export const locationLevelsPath = z.strictObject({ locationId: locationIdSchema });

export const locationLevelsQuery = z.strictObject({
  skuPrefix: skuPrefixSchema.optional(),
  filter: z
    .enum(LEVEL_FILTERS, { error: `must be one of ${LEVEL_FILTERS.join(', ')}` })
    .optional()
    .describe(
      'low-stock: available below the reorder point; out-of-stock: nothing available; has-holds: reserved > 0; blocked: unavailable > 0.',
    ),
  limit,
  cursor,
});

export const levelPageSchema = named(z.object({ levels: z.array(levelSchema), nextCursor }), 'LevelPage');

export const skusQuery = z.strictObject({ skuPrefix: skuPrefixSchema.optional(), limit, cursor });

export const catalogueEntrySchema = named(
  z.object({
    sku: skuSchema,
    firstSeen: timestampSchema
      .nullable()
      .describe('When its first level was created (null for levels older than the catalogue).'),
    available: z.int().min(0).describe('Units available to sell, summed over all locations.'),
    locations: z
      .array(z.object({ locationId: locationIdSchema, available: z.int().min(0) }))
      .describe('Every location that has a level of the SKU.'),
  }),
  'CatalogueEntry',
);

export const skuPageSchema = named(z.object({ skus: z.array(catalogueEntrySchema), nextCursor }), 'SkuPage');

export const reservationsQuery = z.strictObject({
  status: z
    .enum(RESERVATION_STATUSES, { error: `must be one of ${RESERVATION_STATUSES.join(', ')}` })
    .optional(),
  ownerId: principalIdSchema
    .optional()
    .describe("Admins: that caller's reservations (others: only their own)."),
  sku: skuSchema.optional().describe("Admins, with `locationId`: that level's reservations."),
  locationId: locationIdSchema.optional(),
  limit,
  cursor,
});

export const reservationPageSchema = named(
  z.object({ reservations: z.array(reservationSchema), nextCursor }),
  'ReservationPage',
);

export const cartsQuery = z.strictObject({
  status: z.enum(CART_STATUSES, { error: `must be one of ${CART_STATUSES.join(', ')}` }).optional(),
  ownerId: principalIdSchema.optional().describe("Admins: that caller's carts (others: only their own)."),
  limit,
  cursor,
});

export const cartPageSchema = named(z.object({ carts: z.array(cartSchema), nextCursor }), 'CartPage');

export const lowStockQuery = z.strictObject({
  locationId: locationIdSchema.optional().describe('Only this location (a warehouse: one of its own).'),
  limit,
  cursor,
});
