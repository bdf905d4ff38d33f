import { SFNClient } from '@aws-sdk/client-sfn';
import { cartReservationAnswer } from '../shared/carts/http/cart-answers.js';
import * as routes from '../shared/carts/http/routes.js';
import { StepFunctionsCartSaga } from '../shared/carts/saga/step-functions-saga.js';
import { reserveCart } from '../shared/carts/use-cases/start-cart.js';
import { isAdmin } from '../shared/platform/http/authorization.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { HttpProblem } from '../shared/platform/http/problem.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import { readCartStateMachineArn } from '../shared/platform/runtime/environment.js';

const { deps, config } = coldStart();
const stateMachineArn = readCartStateMachineArn(process.env);
/** No endpoint here: the SDK reads `AWS_ENDPOINT_URL_SFN` itself when the local runtime sets it. */
const sfn = new SFNClient({});

/** Leave this much of the function's time to answer when the saga has not finished. */
const ANSWER_MARGIN_MS = 2_000;

/**
 * Hold a whole cart: allocate, record the plan, run the saga synchronously (Step Functions Express,
 * StartSyncExecution), and answer the cart as the saga left it. A storefront caller's lines are held to the same
 * per-hold limit as a single reserve. The same request again answers the same cart (and finishes a saga that
 * did not end).
 */
export const handler = apiHandler(routes.reserveCart, config, async ({ input, caller, context }) => {
  const { lines, strategy, destination, ttlSeconds } = input.body;
  if (!isAdmin(caller)) {
    const index = lines.findIndex((line) => line.quantity > config.maxHoldQuantity);
    if (index >= 0) {
      throw new HttpProblem(
        'hold-quantity-exceeded',
        `one line may take at most ${config.maxHoldQuantity} units`,
        {
          field: `lines[${index}].quantity`,
          maxQuantity: config.maxHoldQuantity,
        },
      );
    }
  }
  const saga = new StepFunctionsCartSaga(
    sfn,
    stateMachineArn,
    () => context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS,
  );
  const { cart, replayed } = await reserveCart(
    deps,
    {
      cartId: input.path.cartId,
      lines,
      strategy,
      destination: destination ?? null,
      ...(ttlSeconds ? { ttlSeconds } : {}),
    },
    caller.principal,
    saga,
  );
  return cartReservationAnswer(cart, replayed);
});
