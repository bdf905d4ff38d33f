import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ServiceConfig } from '../config/service-config.js';
import type { Caller } from './caller.js';
import { authorize } from './middleware/authorize.js';
import { identify } from './middleware/identify.js';
import { jsonBody } from './middleware/json-body.js';
import { problemErrors } from './middleware/problem-errors.js';
import { processRateLimiter, rateLimit } from './middleware/rate-limit.js';
import { validateRequest } from './middleware/validate-request.js';
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
 * A Lambda handler for an authenticated route: middlewares first (errors to problems, caller from the JWT
 * claims, rate limit, role, body, validation), then `run` with the validated input and the caller.
 */
export function apiHandler<R extends RouteDefinition>(
  route: R,
  config: ServiceConfig,
  run: (request: RouteRequest<R>) => Promise<RouteResult>,
) {
  return middy<ApiEvent, ApiResult>()
    .use(problemErrors())
    .use(identify())
    .use(rateLimit(processRateLimiter(config.callerRateLimit)))
    .use(authorize(route))
    .use(jsonBody(route, config.maxBodyBytes))
    .use(validateRequest(route))
    .handler(async (event, context) => {
      const { caller, input } = requestState(event);
      if (!caller) throw new HttpProblem('unauthorized', 'a valid bearer token is required');
      // validateRequest stored exactly the output of this route's schemas.
      return jsonResponse(await run({ input: input as RouteInput<R>, caller, event, context }));
    });
}

/** A Lambda handler for a public route (no token): rate limited by source IP. */
export function publicHandler<R extends RouteDefinition>(
  route: R,
  config: ServiceConfig,
  run: (request: Omit<RouteRequest<R>, 'caller' | 'context'>) => Promise<RouteResult>,
) {
  return middy<ApiEvent, ApiResult>()
    .use(problemErrors())
    .use(rateLimit(processRateLimiter(config.callerRateLimit)))
    .use(jsonBody(route, config.maxBodyBytes))
    .use(validateRequest(route))
    .handler(async (event) => {
      const { input } = requestState(event);
      return jsonResponse(await run({ input: input as RouteInput<R>, event }));
    });
}
