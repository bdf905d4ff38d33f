import { defineRoute } from '../../platform/http/route.js';
import {
  createLocationRequest,
  locationListSchema,
  locationPath,
  locationSchema,
  updateLocationRequest,
} from './schemas.js';

export const listLocations = defineRoute({
  operationId: 'listLocations',
  method: 'GET',
  path: '/locations',
  handler: 'functions/list-locations.ts',
  summary: 'All locations',
  tag: 'Locations',
  auth: 'jwt',
  roles: ['storefront', 'warehouse', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: {},
  success: { status: 200, description: 'The locations.', schema: locationListSchema },
  problems: [],
});

export const getLocation = defineRoute({
  operationId: 'getLocation',
  method: 'GET',
  path: '/locations/{locationId}',
  handler: 'functions/get-location.ts',
  summary: 'One location',
  tag: 'Locations',
  auth: 'jwt',
  roles: ['storefront', 'warehouse', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: locationPath },
  success: { status: 200, description: 'The location.', schema: locationSchema },
  problems: ['not-found'],
});

export const createLocation = defineRoute({
  operationId: 'createLocation',
  method: 'POST',
  path: '/locations',
  handler: 'functions/create-location.ts',
  summary: 'Add a location',
  tag: 'Locations',
  auth: 'jwt',
  roles: ['admin'],
  scope: 'none',
  tableAccess: 'read-write',
  idempotencyKey: false,
  request: { body: createLocationRequest, bodyRequired: true },
  success: { status: 201, description: 'The new location.', schema: locationSchema },
  problems: ['already-exists'],
});

export const updateLocation = defineRoute({
  operationId: 'updateLocation',
  method: 'PATCH',
  path: '/locations/{locationId}',
  handler: 'functions/update-location.ts',
  summary: "Change a location's details, or deactivate it",
  tag: 'Locations',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: false,
  request: { path: locationPath, body: updateLocationRequest, bodyRequired: true },
  success: { status: 200, description: 'The location after the change.', schema: locationSchema },
  problems: ['not-found', 'version-conflict'],
});
