import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { OutcomeUnknownError, StoreUnavailableError } from '../../kernel/errors.js';
import type { ServiceConfig } from '../config/service-config.js';
import { AnswerDeadlineReached, withDeadline } from '../store/request-deadline.js';
import type { Caller } from './caller.js';
import { withValidators } from './conditional-get.js';
import { authorize } from './middleware/authorize.js';
import { identify } from './middleware/identify.js';
import { jsonBody } from './middleware/json-body.js';
import { problemErrors } from './middleware/problem-errors.js';
import { rateLimit } from './middleware/rate-limit.js';
import { validateRequest } from './middleware/validate-request.js';
import { outcomeUnknownProblem } from './outcome-hints.js';
import { HttpProblem } from './problem.js';
import { type ApiEvent, type ApiResult, requestState } from './request-state.js';
import { jsonResponse, type RouteResult } from './responses.js';
import type { RouteDefinition, RouteInput } from './route.js';

export interface RouteRequest<R extends RouteDefinition> {
  readonly input: RouteInput<R>;
  readonly caller: Caller;
  readonly event: ApiEvent;
  /** The Lambda context (its remaining time bounds what the handler may wait for). */
  readonly context: Context;
}

/**
 * Middy's own early-timeout guard is off: it would answer a bare 500 while a write may go on and commit (and it
 * shares one abort signal among concurrent invocations). `withinDeadline` answers in time instead.
 */
const MIDDY_OPTIONS = { timeoutEarlyInMillis: 0 } as const;

/**
 * Runs a route's work within the Lambda function's remaining time (its SDK calls are bounded by it, see
 * shared/platform/store/request-deadline.ts) and answers a lost outcome truthfully: a write that may have been applied
 * is a 503 outcome-unknown that says how to learn the outcome, anything else that ran out of time a 503
 * service-busy (nothing changed). Never a 500 for a timeout.
 */
async function withinDeadline<T>(
  route: RouteDefinition,
  context: Context,
  input: { path?: unknown; body?: unknown; idempotencyKey?: string | null } | null,
  work: () => Promise<T>,
): Promise<T> {
  const remaining =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : null;
  try {
    return remaining === null ? await work() : await withDeadline(remaining, work);
  } catch (error) {
    if (error instanceof AnswerDeadlineReached) {
      if (!error.mayHaveWritten) throw new StoreUnavailableError();
      throw outcomeUnknownProblem(route, input, new OutcomeUnknownError());
    }
    if (error instanceof OutcomeUnknownError) throw outcomeUnknownProblem(route, input, error);
    throw error;
  }
}

/**
 * A Lambda handler for an authenticated route: middlewares first (errors to problems, caller from the JWT
 * claims, rate limit, role, body, validation), then `run` with the validated input and the caller.
 */
export function apiHandler<R extends RouteDefinition>(
  route: R,
  config: ServiceConfig,
  run: (request: RouteRequest<R>) => Promise<RouteResult>,
) {
  return middy<ApiEvent, ApiResult>(MIDDY_OPTIONS)
    .use(problemErrors())
    .use(identify())
    .use(rateLimit(config))
    .use(authorize(route))
    .use(jsonBody(route, route.batchBody ? config.maxBatchBodyBytes : config.maxBodyBytes))
    .use(validateRequest(route))
    .handler(async (event, context) => {
      const { caller, input } = requestState(event);
      if (!caller) throw new HttpProblem('unauthorized', 'a valid bearer token is required');
      // validateRequest stored exactly the output of this route's schemas.
      const validated = input as RouteInput<R>;
      const result = await withinDeadline(route, context, validated, () =>
        run({ input: validated, caller, event, context }),
      );
      return withValidators(route, event, jsonResponse(result));
    });
}

/** A Lambda handler for a public route (no token): rate limited by source IP. */
export function publicHandler<R extends RouteDefinition>(
  route: R,
  config: ServiceConfig,
  run: (request: Omit<RouteRequest<R>, 'caller' | 'context'>) => Promise<RouteResult>,
) {
  return middy<ApiEvent, ApiResult>(MIDDY_OPTIONS)
    .use(problemErrors())
    .use(rateLimit(config))
    .use(jsonBody(route, config.maxBodyBytes))
    .use(validateRequest(route))
    .handler(async (event, context) => {
      const { input } = requestState(event);
      const validated = input as RouteInput<R>;
      const result = await withinDeadline(route, context, validated, () => run({ input: validated, event }));
      return withValidators(route, event, jsonResponse(result));
    });
}
