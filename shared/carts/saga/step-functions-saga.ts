import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { CartSagaIncompleteError, type CartSagaInput, type CartSagaRunner } from '../use-cases/start-cart.js';
import { SAGA_ERROR_CODES } from './task-errors.js';

/**
 * The cart saga run by Step Functions: one StartSyncExecution of the Express state machine, answered when the
 * execution ends (ADR 10). SUCCEEDED and FAILED are both ends: the saga recorded the outcome on the cart (a
 * FAILED execution is a cart released because a line was short), except a FAILED execution whose compensation
 * did not finish (`CartCompensationIncomplete`: the cart is still COMPENSATING). Anything else (timed out, the
 * call failed or outlasted its deadline) leaves the outcome unknown too: CartSagaIncompleteError.
 */
export class StepFunctionsCartSaga implements CartSagaRunner {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
    /** How long this call may wait, in milliseconds (the caller's own deadline, less a margin). */
    private readonly timeoutMs: () => number,
  ) {}

  async run(input: CartSagaInput): Promise<void> {
    let status: string | undefined;
    let error: string | undefined;
    try {
      const output = await this.client.send(
        new StartSyncExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          input: JSON.stringify(input),
        }),
        { abortSignal: AbortSignal.timeout(Math.max(1, this.timeoutMs())) },
      );
      status = output.status;
      error = output.error;
    } catch (failure) {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'the cart saga could not be run',
          cartId: input.cartId,
          error:
            failure instanceof Error ? { name: failure.name, message: failure.message } : String(failure),
        }),
      );
      throw new CartSagaIncompleteError(input.cartId, 'the state machine could not be reached', {
        cause: failure,
      });
    }
    if (status === 'FAILED' && error === SAGA_ERROR_CODES.compensationIncomplete)
      throw new CartSagaIncompleteError(input.cartId, 'its compensation did not finish');
    if (status === 'SUCCEEDED' || status === 'FAILED') return;
    throw new CartSagaIncompleteError(input.cartId, `the execution ended ${status ?? 'without a status'}`);
  }
}
