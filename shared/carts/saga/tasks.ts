import { CartStateError, ConcurrencyLimitError, ValidationError } from '../../kernel/errors.js';
import { type CartId, type PrincipalId, parseCartId, parsePrincipalId } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { CartStatus } from '../domain/cart.js';
import { CartLineShortError, compensateCart, completeCart, reserveCartStep } from '../use-cases/carts.js';
import { type CaughtError, cartFailureOf, SAGA_ERROR_CODES, SagaTaskError } from './task-errors.js';

/**
 * The cart saga's three Lambda tasks, as functions of the use-case dependencies and the task's input (the
 * handlers in functions/ only wire them up). Their input comes from the state machine; it is checked anyway, and
 * a malformed one fails the task (and so compensates the cart).
 */

interface CartRef {
  readonly ownerId: PrincipalId;
  readonly cartId: CartId;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function cartRef(event: unknown): CartRef & { readonly input: Record<string, unknown> } {
  if (!isRecord(event)) throw new ValidationError('input', 'the task input must be an object');
  return {
    ownerId: parsePrincipalId(event.ownerId, 'ownerId'),
    cartId: parseCartId(event.cartId),
    input: event,
  };
}

/**
 * Hold one warehouse's lines (`{ownerId, cartId, stepIndex}`). A line short of stock fails with
 * `CartLineShort`, naming the line; contention that outlasted the store's own retries fails with
 * `CartStepContention`, which the state machine retries. A retried step replays: it holds nothing twice.
 */
export async function runCartStep(deps: UseCaseDeps, event: unknown): Promise<{ replayed: boolean }> {
  const { ownerId, cartId, input } = cartRef(event);
  const stepIndex = input.stepIndex;
  if (typeof stepIndex !== 'number' || !Number.isSafeInteger(stepIndex) || stepIndex < 0)
    throw new ValidationError('stepIndex', 'stepIndex must be a non-negative integer');
  try {
    return await reserveCartStep(deps, { ownerId, cartId, stepIndex });
  } catch (error) {
    if (error instanceof CartLineShortError) {
      throw new SagaTaskError(SAGA_ERROR_CODES.lineShort, {
        code: error.code,
        detail: error.message,
        lineIndex: error.lineIndex,
        sku: error.details.sku,
        locationId: error.details.locationId,
        requested: error.details.requested,
        available: error.details.available,
      });
    }
    if (error instanceof ConcurrencyLimitError) {
      throw new SagaTaskError(SAGA_ERROR_CODES.contention, {
        code: error.code,
        detail: error.message,
        lineIndex: null,
        sku: null,
        locationId: null,
        requested: null,
        available: null,
      });
    }
    throw error;
  }
}

/** A cart in one of these states was held as a whole by a run of the saga: there is nothing to compensate. */
const COMPLETED: readonly string[] = ['HELD', 'CONFIRMED', 'RELEASED'];

/**
 * Release everything a failed cart could have held and record why it failed (`{ownerId, cartId, error}`, where
 * `error` is the `{Error, Cause}` the state machine caught). Idempotent: run again, it changes nothing. A cart
 * that another execution of the saga completed meanwhile (a repeated request runs the saga again while the first
 * run is still going; this run's late step is then refused by the fence) is left as it is.
 */
export async function runCompensation(deps: UseCaseDeps, event: unknown): Promise<{ status: CartStatus }> {
  const { ownerId, cartId, input } = cartRef(event);
  const caught = isRecord(input.error) ? (input.error as CaughtError) : null;
  try {
    const cart = await compensateCart(deps, { ownerId, cartId, failure: cartFailureOf(caught) });
    return { status: cart.status };
  } catch (error) {
    if (error instanceof CartStateError && COMPLETED.includes(error.details.status))
      return { status: error.details.status as CartStatus };
    throw error;
  }
}

/** Every step held its lines: the cart becomes HELD (`{ownerId, cartId}`). Idempotent. */
export async function runCompletion(deps: UseCaseDeps, event: unknown): Promise<{ status: CartStatus }> {
  const { ownerId, cartId } = cartRef(event);
  const cart = await completeCart(deps, { ownerId, cartId });
  return { status: cart.status };
}
