import * as z from 'zod';
import { regionSchema } from '../../locations/http/schemas.js';
import { locationIdSchema, skuSchema } from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';

/** The most SKUs one batch availability request may ask about. */
export const MAX_BATCH_SKUS = 100;

export const availabilitySchema = named(
  z.object({
    sku: skuSchema,
    available: z.int().min(0).describe('Units available to sell, summed over all locations.'),
    locations: z.array(z.object({ locationId: locationIdSchema, available: z.int().min(0) })),
    regions: z
      .array(
        z.object({
          region: z.string(),
          available: z.int().min(0),
          locations: z.array(locationIdSchema),
        }),
      )
      .optional()
      .describe(
        'GET /skus/{sku}/availability only: the available units rolled up by the region of each location, by region.',
      ),
  }),
  'Availability',
);

export const availabilityQuery = z.strictObject({
  region: regionSchema
    .optional()
    .describe(
      'Only the locations of this region: `available`, `locations` and `regions` are narrowed to it.',
    ),
});

export const batchAvailabilityRequest = named(
  z.strictObject({
    skus: z
      .array(skuSchema, { error: `must be a list of 1 to ${MAX_BATCH_SKUS} SKUs` })
      .min(1, { error: `must be a list of 1 to ${MAX_BATCH_SKUS} SKUs` })
      .max(MAX_BATCH_SKUS, { error: `must be a list of 1 to ${MAX_BATCH_SKUS} SKUs` }),
  }),
  'BatchAvailabilityRequest',
);

export const unknownSkuAvailabilitySchema = named(
  z.object({
    sku: skuSchema,
    unknown: z
      .literal(true)
      .describe(
        'No location has a level of this SKU (a typo, or not stocked yet): not the same as out of stock.',
      ),
  }),
  'UnknownSkuAvailability',
);

export const batchAvailabilitySchema = named(
  z.object({ items: z.array(z.union([availabilitySchema, unknownSkuAvailabilitySchema])) }),
  'BatchAvailability',
);
