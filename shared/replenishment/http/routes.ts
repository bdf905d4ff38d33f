import { defineRoute } from '../../platform/http/route.js';
import { levelPath, levelSchema } from '../../stock/http/schemas.js';
import {
  cancelRequest,
  policyRequest,
  receiveAgainstRequest,
  replenishmentPageSchema,
  replenishmentReceiptSchema,
  replenishmentSchema,
  replenishmentsQuery,
  requestPath,
} from './schemas.js';

const LEVEL = '/skus/{sku}/locations/{locationId}';
const REQUEST = `${LEVEL}/replenishments/{requestId}`;

export const setReplenishmentPolicy = defineRoute({
  operationId: 'setReplenishmentPolicy',
  method: 'PATCH',
  path: `${LEVEL}/replenishment-policy`,
  handler: 'functions/set-replenishment-policy.ts',
  summary: "Change a level's replenishment policy (reorder point, reorder quantity, safety stock)",
  tag: 'Replenishment',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: false,
  request: { path: levelPath, body: policyRequest, bodyRequired: true },
  success: { status: 200, description: 'The level with its new policy.', schema: levelSchema },
  problems: ['not-found', 'insufficient-stock', 'service-busy'],
});

export const listReplenishments = defineRoute({
  operationId: 'listReplenishments',
  method: 'GET',
  path: '/replenishments',
  handler: 'functions/list-replenishments.ts',
  summary: 'A page of replenishment requests, open or closed, newest first',
  tag: 'Replenishment',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read',
  // Open requests across levels are listed from the expiry index (docs/data-model.md).
  indexes: ['expiry'],
  idempotencyKey: false,
  request: { query: replenishmentsQuery },
  success: {
    status: 200,
    description: "Requests, newest first; a warehouse caller's only at its locations.",
    schema: replenishmentPageSchema,
  },
  problems: [],
});

export const getReplenishment = defineRoute({
  operationId: 'getReplenishment',
  method: 'GET',
  path: REQUEST,
  handler: 'functions/get-replenishment.ts',
  summary: "One of a level's replenishment requests",
  tag: 'Replenishment',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: requestPath },
  success: { status: 200, description: 'The request.', schema: replenishmentSchema },
  problems: ['not-found'],
});

export const receiveReplenishment = defineRoute({
  operationId: 'receiveReplenishment',
  method: 'POST',
  path: `${REQUEST}/receive`,
  handler: 'functions/receive-replenishment.ts',
  summary: 'Receive units against an open request: incoming moves to on-hand, a complete receipt closes it',
  tag: 'Replenishment',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: requestPath, body: receiveAgainstRequest, bodyRequired: true },
  success: {
    status: 200,
    description: 'The movements written, the request and the level after the receipt.',
    schema: replenishmentReceiptSchema,
  },
  problems: ['not-found', 'business-rule', 'location-inactive', 'idempotency-key-reused', 'service-busy'],
});

export const cancelReplenishment = defineRoute({
  operationId: 'cancelReplenishment',
  method: 'POST',
  path: `${REQUEST}/cancel`,
  handler: 'functions/cancel-replenishment.ts',
  summary: 'Cancel an open request: what it still expected leaves incoming',
  tag: 'Replenishment',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: false,
  request: { path: requestPath, body: cancelRequest },
  success: {
    status: 200,
    description: 'The cancelled request (also when it was cancelled before).',
    schema: replenishmentSchema,
  },
  problems: ['not-found', 'business-rule', 'service-busy'],
});
