import { apiHandler } from '../shared/http/handler.js';
import { cartBody } from '../shared/http/representations.js';
import { ok } from '../shared/http/responses.js';
import * as routes from '../shared/http/routes/carts.js';
import { coldStart } from '../shared/runtime/deps.js';
import { releaseCart } from '../shared/use-cases/carts.js';

const { deps, config } = coldStart();

/** Release a held cart as a whole: every hold's units become available again. Released twice, nothing changes. */
export const handler = apiHandler(routes.releaseCart, config, async ({ input, caller }) =>
  ok(cartBody(await releaseCart(deps, caller.principal, input.path.cartId))),
);
