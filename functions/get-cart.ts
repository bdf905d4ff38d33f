import { apiHandler } from '../shared/http/handler.js';
import { cartBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/carts.js';
import { coldStart } from '../shared/runtime/deps.js';
import { getCart } from '../shared/use-cases/carts.js';

const { deps, config } = coldStart();

/** The caller's own cart (a cart id is in the caller's namespace: anyone else's is not found). */
export const handler = apiHandler(routes.getCart, config, async ({ input, caller }) =>
  ok(cartBody(await getCart(deps, caller.principal, input.path.cartId))),
);
