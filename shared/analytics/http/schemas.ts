import * as z from 'zod';
import { locationIdSchema, timestampSchema } from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';

export const locationAnalyticsPath = z.strictObject({ locationId: locationIdSchema });

const regionError = 'must be 1 to 32 lower-case letters, digits and -';
export const regionAnalyticsPath = z.strictObject({
  region: z.string({ error: regionError }).regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: regionError }),
});

export const seriesQuery = z.strictObject({
  from: z.iso
    .datetime({ error: 'must be an ISO-8601 UTC time' })
    .describe('Start of the range (rounded down to the hour).'),
  to: z.iso
    .datetime({ error: 'must be an ISO-8601 UTC time' })
    .describe('End of the range, exclusive; at most 744 hours after `from`.'),
  granularity: z
    .enum(['hour'], { error: "must be 'hour'" })
    .optional()
    .describe('Only `hour` (the default).'),
});

const count = z.int().min(0);

export const seriesPointSchema = named(
  z.object({
    hour: timestampSchema,
    onHand: z.int().describe('Units on hand as of the last change of the hour (carried forward).'),
    available: z.int(),
    held: z.int().describe('Units in live holds (reserved).'),
    changes: count,
    holdsCreated: count,
    holdsConfirmed: count,
    holdsReleased: count,
    holdsExpired: count,
    unitsReserved: count,
    sellOuts: count.describe('Level shards whose available units reached 0 in the hour.'),
    holdToConfirmRate: z
      .number()
      .nullable()
      .describe('holdsConfirmed ÷ holdsCreated; null when none was created.'),
    hoursToSellOut: z
      .number()
      .nullable()
      .describe(
        'available ÷ unitsReserved of the hour: how long what is left lasts at that pace; null when nothing was reserved.',
      ),
  }),
  'AnalyticsPoint',
);

export const seriesSchema = named(
  z.object({
    scope: z.object({ locationId: locationIdSchema.optional(), region: z.string().optional() }),
    granularity: z.literal('hour'),
    from: timestampSchema,
    to: timestampSchema,
    series: z.array(seriesPointSchema),
    freshness: z
      .object({
        aggregatedThrough: z.int().min(0).describe('The change feed position the aggregates include.'),
        feedHead: z.int().min(0).describe("The change feed's last position when read."),
      })
      .describe(
        'The aggregates include every change up to `aggregatedThrough`; the ones after it are still to come.',
      ),
  }),
  'AnalyticsSeries',
);
