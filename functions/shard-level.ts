import { apiHandler } from '../shared/http/handler.js';
import { levelBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/stock.js';
import { coldStart } from '../shared/runtime/deps.js';
import { shardLevel } from '../shared/use-cases/sharding.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.shardLevel, config, async ({ input, caller }) => {
  const { sku, locationId } = input.path;
  return ok(
    levelBody(await shardLevel(deps, { sku, locationId, shards: input.body.shards }, caller.principal)),
  );
});
