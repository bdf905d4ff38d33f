import { skuPageBody } from '../shared/listings/http/representations.js';
import * as routes from '../shared/listings/http/routes.js';
import { listSkus } from '../shared/listings/use-cases/listings.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listSkus, config, async ({ input }) => {
  const { skuPrefix, limit, cursor } = input.query;
  const page = await listSkus(deps, {
    skuPrefix: skuPrefix ?? '',
    limit: limit ?? 50,
    cursor: cursor ?? null,
  });
  return ok(skuPageBody(page));
});
