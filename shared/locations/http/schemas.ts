import * as z from 'zod';
import { COORDINATE_DECIMALS, roundCoordinate } from '../../kernel/geo.js';
import {
  intBetween,
  locationIdSchema,
  principalIdSchema,
  text,
  timestampSchema,
  versionSchema,
} from '../../platform/http/schemas/common.js';
import { named } from '../../platform/http/schemas/registry.js';

export const locationPath = z.strictObject({ locationId: locationIdSchema });

const regionError = 'must be 1 to 32 lower-case letters, digits and -';
export const regionSchema = z
  .string({ error: regionError })
  .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: regionError });

/** A number in [-limit, limit], rounded to 7 decimals (what is stored and answered). */
function coordinate(limit: number) {
  const error = `must be a number from -${limit} to ${limit}`;
  return z
    .number({ error })
    .min(-limit, { error })
    .max(limit, { error })
    .transform(roundCoordinate)
    .describe(`From -${limit} to ${limit}; kept to ${COORDINATE_DECIMALS} decimal places (rounded).`);
}

export const coordinatesSchema = named(
  z.strictObject({ latitude: coordinate(90), longitude: coordinate(180) }),
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

/** The fields an update may change (`expectedVersion` alone changes nothing). */
const LOCATION_CHANGES = ['name', 'region', 'priority', 'coordinates', 'active'] as const;

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
      error: `must change at least one of ${LOCATION_CHANGES.join(', ')}`,
    }),
  'UpdateLocationRequest',
  undefined,
  { minProperties: 1, anyOf: LOCATION_CHANGES.map((name) => ({ required: [name] })) },
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
