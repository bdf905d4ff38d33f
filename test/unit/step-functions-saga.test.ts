import type { SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { StepFunctionsCartSaga } from '../../shared/carts/saga/step-functions-saga.js';
import { CartSagaIncompleteError } from '../../shared/carts/use-cases/start-cart.js';
import { parseCartId, parsePrincipalId } from '../../shared/kernel/identifiers.js';

/** How the API reads the end of a cart saga execution, with the Step Functions client played by a stub. */
const answering = (output: { status: string; error?: string }) =>
  new StepFunctionsCartSaga({ send: async () => output } as unknown as SFNClient, 'arn:saga', () => 1_000);
const input = {
  ownerId: parsePrincipalId('shop-1'),
  cartId: parseCartId('cart-1'),
  steps: [{ stepIndex: 0 }],
};

describe('the cart saga run by Step Functions', () => {
  it('ends when the execution succeeded, or failed having compensated the cart', async () => {
    await expect(answering({ status: 'SUCCEEDED' }).run(input)).resolves.toBeUndefined();
    await expect(answering({ status: 'FAILED', error: 'CartLineShort' }).run(input)).resolves.toBeUndefined();
  });

  it('is incomplete when its compensation did not finish, or the execution timed out', async () => {
    await expect(
      answering({ status: 'FAILED', error: 'CartCompensationIncomplete' }).run(input),
    ).rejects.toBeInstanceOf(CartSagaIncompleteError);
    await expect(answering({ status: 'TIMED_OUT' }).run(input)).rejects.toBeInstanceOf(
      CartSagaIncompleteError,
    );
  });
});
