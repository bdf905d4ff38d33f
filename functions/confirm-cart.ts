import * as routes from '../shared/carts/http/routes.js';
import { confirmCart } from '../shared/carts/use-cases/carts.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { cartBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/** Confirm a held cart as a whole; a cart already confirmed is answered as it is, marked as a replay. */
export const handler = apiHandler(routes.confirmCart, config, async ({ input, caller }) => {
  const { cart, changed } = await confirmCart(deps, caller.principal, input.path.cartId);
  return ok(cartBody(cart), !changed);
});
