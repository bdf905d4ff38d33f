import { apiHandler } from '../shared/platform/http/handler.js';
import { levelBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import * as routes from '../shared/stock/http/routes.js';
import { shardLevel } from '../shared/stock/use-cases/sharding.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.shardLevel, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  return ok(
    levelBody(await shardLevel(deps, { sku, locationId, shards: input.body.shards }, caller.principal)),
  );
});
