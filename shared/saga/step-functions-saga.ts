import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { CartSagaIncompleteError, type CartSagaInput, type CartSagaRunner } from '../use-cases/start-cart.js';

/**
 * The cart saga run by Step Functions: one StartSyncExecution of the Express state machine, answered when the
 * execution ends (ADR 10). SUCCEEDED and FAILED are both ends: the saga recorded the outcome on the cart (a
 * FAILED execution is a cart released because a line was short). Anything else (timed out, the call failed or
 * outlasted its deadline) leaves the outcome unknown: CartSagaIncompleteError.
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
    try {
      const output = await this.client.send(
        new StartSyncExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          input: JSON.stringify(input),
        }),
        { abortSignal: AbortSignal.timeout(Math.max(1, this.timeoutMs())) },
      );
      status = output.status;
    } catch (error) {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'the cart saga could not be run',
          cartId: input.cartId,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        }),
      );
      throw new CartSagaIncompleteError(input.cartId, 'the state machine could not be reached', {
        cause: error,
      });
    }
    if (status === 'SUCCEEDED' || status === 'FAILED') return;
    throw new CartSagaIncompleteError(input.cartId, `the execution ended ${status ?? 'without a status'}`);
  }
}
