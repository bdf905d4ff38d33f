import { defineRoute } from '../route.js';
import {
  adjustRequest,
  blockRequest,
  countRequest,
  levelPath,
  levelSchema,
  movementPageSchema,
  movementsQuery,
  receiveRequest,
  skuPath,
  stockChangeSchema,
  transferRequest,
  transferResultSchema,
} from '../schemas/stock.js';

const LEVEL = '/skus/{sku}/locations/{locationId}';
const stockChange = {
  status: 200,
  description: 'The movement written and the level after it.',
  schema: stockChangeSchema,
} as const;

export const readLevel = defineRoute({
  operationId: 'readLevel',
  method: 'GET',
  path: LEVEL,
  handler: 'functions/read-level.ts',
  summary: 'One stock level, with all its buckets',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: levelPath },
  success: { status: 200, description: 'The level.', schema: levelSchema },
  problems: ['not-found'],
});

export const listMovements = defineRoute({
  operationId: 'listMovements',
  method: 'GET',
  path: `${LEVEL}/movements`,
  handler: 'functions/list-movements.ts',
  summary: "A page of a level's ledger",
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: levelPath, query: movementsQuery },
  success: {
    status: 200,
    description: 'Movements, newest first unless order=asc.',
    schema: movementPageSchema,
  },
  problems: ['not-found'],
});

export const receiveStock = defineRoute({
  operationId: 'receiveStock',
  method: 'POST',
  path: `${LEVEL}/receipts`,
  handler: 'functions/receive-stock.ts',
  summary: 'Receive units into a level (created if new)',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: levelPath, body: receiveRequest, bodyRequired: true },
  success: stockChange,
  problems: ['location-inactive', 'idempotency-key-reused', 'service-busy'],
});

export const adjustStock = defineRoute({
  operationId: 'adjustStock',
  method: 'POST',
  path: `${LEVEL}/adjustments`,
  handler: 'functions/adjust-stock.ts',
  summary: 'Change on-hand by a signed delta, with a reason',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: levelPath, body: adjustRequest, bodyRequired: true },
  success: stockChange,
  problems: ['not-found', 'insufficient-stock', 'idempotency-key-reused', 'service-busy'],
});

export const countStock = defineRoute({
  operationId: 'countStock',
  method: 'POST',
  path: `${LEVEL}/counts`,
  handler: 'functions/count-stock.ts',
  summary: 'Set on-hand to a counted quantity, if the level is still at the expected version',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: levelPath, body: countRequest, bodyRequired: true },
  success: stockChange,
  problems: [
    'not-found',
    'version-conflict',
    'insufficient-stock',
    'business-rule',
    'idempotency-key-reused',
  ],
});

export const blockStock = defineRoute({
  operationId: 'blockStock',
  method: 'POST',
  path: `${LEVEL}/blocks`,
  handler: 'functions/block-stock.ts',
  summary: 'Move available units to unavailable (damaged, quality hold)',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: levelPath, body: blockRequest, bodyRequired: true },
  success: stockChange,
  problems: ['not-found', 'insufficient-stock', 'idempotency-key-reused', 'service-busy'],
});

export const unblockStock = defineRoute({
  operationId: 'unblockStock',
  method: 'POST',
  path: `${LEVEL}/unblocks`,
  handler: 'functions/unblock-stock.ts',
  summary: 'Move unavailable units back to available',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: levelPath, body: blockRequest, bodyRequired: true },
  success: stockChange,
  problems: ['not-found', 'insufficient-stock', 'idempotency-key-reused', 'service-busy'],
});

export const transferStock = defineRoute({
  operationId: 'transferStock',
  method: 'POST',
  path: '/skus/{sku}/transfers',
  handler: 'functions/transfer-stock.ts',
  summary: 'Move units from one location to another, atomically',
  tag: 'Stock',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { path: skuPath, body: transferRequest, bodyRequired: true },
  success: { status: 200, description: 'Both levels after the transfer.', schema: transferResultSchema },
  problems: [
    'not-found',
    'insufficient-stock',
    'location-inactive',
    'idempotency-key-reused',
    'service-busy',
  ],
});
