import * as routes from '../shared/carts/http/routes.js';
import { releaseCart } from '../shared/carts/use-cases/carts.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { cartBody } from '../shared/platform/http/representations.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

/** Release a held cart as a whole: every hold's units become available again. Released twice, nothing changes. */
export const handler = apiHandler(routes.releaseCart, config, async ({ input, caller }) =>
  ok(cartBody(await releaseCart(deps, caller.principal, input.path.cartId))),
);
