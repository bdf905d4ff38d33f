import * as z from 'zod';
import { defineRoute } from '../route.js';

export const getOpenApi = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'functions/get-open-api.ts',
  summary: 'This OpenAPI 3.1 document',
  tag: 'Meta',
  auth: 'none',
  roles: [],
  scope: 'none',
  tableAccess: 'none',
  idempotencyKey: false,
  request: {},
  success: {
    status: 200,
    description: 'The OpenAPI document.',
    schema: z.looseObject({ openapi: z.string() }),
  },
  problems: [],
});
