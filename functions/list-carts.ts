import { cartPageBody } from '../shared/listings/http/representations.js';
import * as routes from '../shared/listings/http/routes.js';
import { listCarts } from '../shared/listings/use-cases/listings.js';
import { isAdmin } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { HttpProblem } from '../shared/platform/http/problem.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

export const handler = apiHandler(routes.listCarts, config, async ({ input, caller }) => {
  const { status, ownerId, limit, cursor } = input.query;
  if (ownerId !== undefined && ownerId !== caller.principal && !isAdmin(caller)) {
    throw new HttpProblem('forbidden', "only an admin may list another caller's carts");
  }
  const page = await listCarts(deps, ownerId ?? caller.principal, {
    status: status ?? null,
    limit: limit ?? 25,
    cursor: cursor ?? null,
  });
  return ok(cartPageBody(page));
});
