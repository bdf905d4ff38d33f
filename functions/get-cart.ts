import * as routes from '../shared/carts/http/routes.js';
import { getCart } from '../shared/carts/use-cases/carts.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { cartBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/** The caller's own cart (a cart id is in the caller's namespace: anyone else's is not found). */
export const handler = apiHandler(routes.getCart, config, async ({ input, caller }) =>
  ok(cartBody(await getCart(deps, caller.principal, input.path.cartId))),
);
