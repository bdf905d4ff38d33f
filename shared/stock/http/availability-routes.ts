import { defineRoute } from '../../platform/http/route.js';
import {
  availabilityQuery,
  availabilitySchema,
  batchAvailabilityRequest,
  batchAvailabilitySchema,
  MAX_BATCH_SKUS,
} from './availability-schemas.js';
import { skuPath } from './schemas.js';

export const readAvailability = defineRoute({
  operationId: 'readAvailability',
  method: 'GET',
  path: '/skus/{sku}/availability',
  handler: 'functions/read-availability.ts',
  summary: "A SKU's available units at every location",
  tag: 'Availability',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: skuPath, query: availabilityQuery },
  success: {
    status: 200,
    description: 'Available units, in total, per location and per region (narrowed to `region` when given).',
    schema: availabilitySchema,
  },
  problems: ['unknown-sku'],
});

export const readAvailabilityBatch = defineRoute({
  operationId: 'readAvailabilityBatch',
  method: 'POST',
  path: '/availability/batch',
  handler: 'functions/read-availability-batch.ts',
  summary: `Availability of up to ${MAX_BATCH_SKUS} SKUs at once`,
  tag: 'Availability',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { body: batchAvailabilityRequest, bodyRequired: true },
  success: {
    status: 200,
    description:
      'One entry per distinct SKU asked, in the order asked; a SKU no location has is marked `unknown: true`.',
    schema: batchAvailabilitySchema,
  },
  problems: [],
});
