import { stockBatchBody } from '../shared/bulk/http/representations.js';
import { applyStockBatch } from '../shared/bulk/http/routes.js';
import { applyBatch } from '../shared/bulk/use-cases/apply-batch.js';
import { mayOperateAt } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/** Each row authorized on its own: a warehouse row at a location outside the caller's scope is refused. */
export const handler = apiHandler(applyStockBatch, config, async ({ input, caller }) => {
  const { policy, rows } = input.body;
  const outcomes = await applyBatch(deps, { policy, rows }, caller.principal, (locationId) =>
    mayOperateAt(caller, locationId),
  );
  return ok(stockBatchBody(rows, outcomes));
});
