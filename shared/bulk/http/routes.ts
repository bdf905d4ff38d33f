import { defineRoute } from '../../platform/http/route.js';
import { stockBatchRequest, stockBatchResultSchema } from './schemas.js';

export const applyStockBatch = defineRoute({
  operationId: 'applyStockBatch',
  method: 'POST',
  path: '/stock/batch',
  handler: 'functions/apply-stock-batch.ts',
  summary: 'Apply receipts, adjustments, counts, blocks and unblocks in one request, with a result per row',
  tag: 'Bulk',
  auth: 'jwt',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  tableAccess: 'read-write',
  timeoutSeconds: 20,
  batchBody: true,
  idempotencyKey: false,
  request: { body: stockBatchRequest, bodyRequired: true },
  success: {
    status: 200,
    description:
      "Each row's outcome and the counts. Under all-or-nothing, either no row is refused and all were applied (or replayed), or every row is refused and nothing was applied.",
    schema: stockBatchResultSchema,
  },
  problems: ['service-busy', 'outcome-unknown'],
});
