import * as z from 'zod';
import {
  intBetween,
  locationIdSchema,
  principalIdSchema,
  text,
  timestampSchema,
  versionSchema,
} from './common.js';
import { named } from './registry.js';

export const locationPath = z.strictObject({ locationId: locationIdSchema });

const regionError = 'must be 1 to 32 lower-case letters, digits and -';
const regionSchema = z
  .string({ error: regionError })
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: regionError });

export const coordinatesSchema = named(
  z.strictObject({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  'Coordinates',
);

export const createLocationRequest = named(
  z.strictObject({
    locationId: locationIdSchema,
    name: text(1, 100),
    region: regionSchema,
    priority: intBetween(0, 1000).optional().describe('Lower is preferred; 100 when absent.'),
    coordinates: coordinatesSchema.optional(),
    ownerId: principalIdSchema.optional().describe('The vendor or team managing it; the caller when absent.'),
  }),
  'CreateLocationRequest',
);

export const updateLocationRequest = named(
  z
    .strictObject({
      name: text(1, 100).optional(),
      region: regionSchema.optional(),
      priority: intBetween(0, 1000).optional(),
      coordinates: coordinatesSchema.nullable().optional(),
      active: z.boolean({ error: 'must be true or false' }).optional(),
      expectedVersion: versionSchema
        .optional()
        .describe('Refuse the change if the location is at another version.'),
    })
    .refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), {
      error: 'must change at least one of name, region, priority, coordinates, active',
    }),
  'UpdateLocationRequest',
);

export const locationSchema = named(
  z.object({
    locationId: locationIdSchema,
    name: z.string(),
    region: z.string(),
    priority: z.int(),
    coordinates: coordinatesSchema.nullable(),
    ownerId: principalIdSchema,
    active: z.boolean(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    version: z.int().min(1),
  }),
  'Location',
);

export const locationListSchema = named(z.object({ locations: z.array(locationSchema) }), 'LocationList');
