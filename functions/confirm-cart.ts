import { apiHandler } from '../shared/http/handler.js';
import { cartBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/carts.js';
import { coldStart } from '../shared/runtime/deps.js';
import { confirmCart } from '../shared/use-cases/carts.js';

const { deps, config } = coldStart();

/** Confirm a held cart as a whole; a cart already confirmed is answered as it is, marked as a replay. */
export const handler = apiHandler(routes.confirmCart, config, async ({ input, caller }) => {
  const { cart, changed } = await confirmCart(deps, caller.principal, input.path.cartId);
  return ok(cartBody(cart), !changed);
});
