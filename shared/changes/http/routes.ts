import { defineRoute } from '../../platform/http/route.js';
import { changePageSchema, changesQuery } from './schemas.js';

export const listChanges = defineRoute({
  operationId: 'listChanges',
  method: 'GET',
  path: '/changes',
  handler: 'functions/list-changes.ts',
  summary: 'The change feed: every change to levels, in one global order, resumable from any cursor',
  tag: 'Changes',
  auth: 'jwt',
  roles: ['analyst', 'admin'],
  scope: 'none',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { query: changesQuery },
  success: {
    status: 200,
    description: 'Changes after the cursor, in feed order, and the cursor to go on from.',
    schema: changePageSchema,
  },
  problems: [],
});
