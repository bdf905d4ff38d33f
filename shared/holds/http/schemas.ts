import * as z from 'zod';
import {
  locationIdSchema,
  principalIdSchema,
  quantitySchema,
  reasonSchema,
  reservationIdSchema,
  skuSchema,
  text,
  timestampSchema,
  ttlSecondsSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';
import { RESERVATION_STATUSES } from '../domain/reservation.js';

export const reservationPath = z.strictObject({ reservationId: reservationIdSchema });

export const reserveRequest = named(
  z.strictObject({
    sku: skuSchema,
    locationId: locationIdSchema,
    quantity: quantitySchema,
    ttlSeconds: ttlSecondsSchema.optional(),
    reference: text(1, 128).optional().describe("The caller's own reference, e.g. a checkout id."),
  }),
  'ReserveRequest',
);

export const extendRequest = named(
  z.strictObject({ ttlSeconds: ttlSecondsSchema.optional() }),
  'ExtendRequest',
);

export const resolveRequest = named(z.strictObject({ reason: reasonSchema.optional() }), 'ResolveRequest');

export const reservationSchema = named(
  z.object({
    reservationId: reservationIdSchema,
    sku: skuSchema,
    locationId: locationIdSchema,
    quantity: z.int().min(1),
    ownerId: principalIdSchema,
    status: z.enum(RESERVATION_STATUSES),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    expiresAt: timestampSchema.describe('When a HELD reservation is released if not confirmed.'),
    maxExpiresAt: timestampSchema.describe('No extension goes past this.'),
    reference: z.string().nullable(),
    resolvedAt: timestampSchema.nullable(),
  }),
  'Reservation',
);
