import { stockBatchBody } from '../shared/bulk/http/representations.js';
import { applyStockBatch } from '../shared/bulk/http/routes.js';
import { applyBatch } from '../shared/bulk/use-cases/apply-batch.js';
import { mayOperateAt } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { HttpProblem } from '../shared/platform/http/problem.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/**
 * Each row authorized on its own: a warehouse row at a location outside the caller's scope is refused, and under
 * all-or-nothing it refuses the whole batch (403 naming the row), since nothing of it may be applied.
 */
export const handler = apiHandler(applyStockBatch, config, async ({ input, caller, context }) => {
  const { policy, rows } = input.body;
  const outside = rows.findIndex((row) => !mayOperateAt(caller, row.locationId));
  const row = rows[outside];
  if (policy === 'all-or-nothing' && row) {
    throw new HttpProblem(
      'forbidden',
      `rows.${outside}: the caller may not operate on location ${row.locationId}; nothing of the all-or-nothing batch was applied`,
      { field: `rows.${outside}.locationId`, locationId: row.locationId },
    );
  }
  // Rows are started during the first half of the time left, so that those started finish before the deadline.
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : null;
  const startBy = remaining === null ? undefined : deps.clock.now() + remaining / 2;
  const outcomes = await applyBatch(deps, { policy, rows, startBy }, caller.principal, (locationId) =>
    mayOperateAt(caller, locationId),
  );
  return ok(stockBatchBody(rows, outcomes));
});
