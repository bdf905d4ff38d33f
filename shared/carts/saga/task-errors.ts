import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { CartFailure } from '../domain/cart.js';

/**
 * How the cart saga's Lambda tasks report failures to Step Functions, and how compensation reads them back.
 *
 * A task that fails throws an Error whose `name` is a stable error code: the Lambda runtime reports it as the
 * `errorType`, and Step Functions matches it in `Retry` and `Catch` (the state machine in
 * infra/constructs/cart-saga.ts names these codes). Its `message` is a JSON `SagaErrorDetail`, so that the
 * compensation task, which receives `{Error, Cause}` from the `Catch`, can record which line failed and why.
 * Pure: no AWS SDK.
 */
export const SAGA_ERROR_CODES = {
  /** A line could not be held at its warehouse: final, never retried; the saga compensates. */
  lineShort: 'CartLineShort',
  /** The step's transaction kept meeting contention: retried by the state machine, then compensated. */
  contention: 'CartStepContention',
  /**
   * The compensation itself ran out of retries: the cart is left COMPENSATING, with what it still holds, for the
   * stuck-cart recovery (ADR 15). The execution fails with this error, so that its caller never reads it as a
   * compensated cart.
   */
  compensationIncomplete: 'CartCompensationIncomplete',
} as const;

/** The Lambda service errors worth retrying (the function never ran, or its answer was lost). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** What a failed step says about its failure, as the JSON message of the error it throws. */
export interface SagaErrorDetail {
  readonly code: string;
  readonly detail: string;
  readonly lineIndex: number | null;
  readonly sku: Sku | null;
  readonly locationId: LocationId | null;
  readonly requested: number | null;
  readonly available: number | null;
}

/** An error thrown by a saga task: `name` is the error code Step Functions sees. */
export class SagaTaskError extends Error {
  constructor(
    name: string,
    readonly detail: SagaErrorDetail,
  ) {
    super(JSON.stringify(detail));
    this.name = name;
  }
}

/** The `{Error, Cause}` object a `Catch` puts at its ResultPath. */
export interface CaughtError {
  readonly Error?: unknown;
  readonly Cause?: unknown;
}

/** The problem codes of the failures a saga can record on a cart, by the Step Functions error code. */
const FAILURE_CODES: Readonly<Record<string, string>> = {
  [SAGA_ERROR_CODES.lineShort]: 'insufficient-stock',
  [SAGA_ERROR_CODES.contention]: 'concurrency-limit',
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The message of the error behind a caught `Cause`. For a Lambda function error Step Functions' `Cause` is the
 * function's error payload as JSON (`{"errorType", "errorMessage", "trace"}`); for other errors it is text.
 */
function causeMessage(cause: unknown): string | null {
  if (typeof cause !== 'string') return null;
  const payload = parseJson(cause);
  if (isRecord(payload) && typeof payload.errorMessage === 'string') return payload.errorMessage;
  return cause;
}

const numberOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The failure to record on a cart for an error the saga caught. A saga task's own detail is kept (which line,
 * where, how many were available); any other error is named by its code only, never by its message, which may
 * be internal and is not for the cart's owner to read.
 */
export function cartFailureOf(caught: CaughtError | null | undefined): CartFailure {
  const error = typeof caught?.Error === 'string' && caught.Error.length > 0 ? caught.Error : 'Unknown';
  const known = FAILURE_CODES[error];
  const message = causeMessage(caught?.Cause);
  const detail = known && message !== null ? parseJson(message) : undefined;
  if (known && isRecord(detail)) {
    return {
      code: known,
      detail: stringOrNull(detail.detail) ?? `the cart could not be held (${error})`,
      lineIndex: numberOrNull(detail.lineIndex),
      sku: stringOrNull(detail.sku) as Sku | null,
      locationId: stringOrNull(detail.locationId) as LocationId | null,
      available: numberOrNull(detail.available),
    };
  }
  return {
    code: known ?? error,
    detail: `the cart could not be held (${error})`,
    lineIndex: null,
    sku: null,
    locationId: null,
    available: null,
  };
}
