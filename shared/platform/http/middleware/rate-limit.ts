import type { MiddlewareObj } from '@middy/core';
import type { RateLimit } from '../../config/service-config.js';
import { HttpProblem } from '../problem.js';
import { TokenBucketLimiter } from '../rate-limiter.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';

let shared: TokenBucketLimiter | undefined;

/** One limiter per process, so that locally (all routes in one process) a caller's limit spans every route. */
export function processRateLimiter(limit: RateLimit): TokenBucketLimiter {
  shared ??= new TokenBucketLimiter(limit);
  return shared;
}

/** 429 with `Retry-After` once a caller (its `sub`, or its IP on public routes) has used up its bucket. */
export function rateLimit(limiter: TokenBucketLimiter): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'rateLimit',
    before: ({ event }) => {
      const { caller } = requestState(event);
      const key = caller
        ? `sub:${caller.principal}`
        : `ip:${event.requestContext?.http?.sourceIp ?? 'unknown'}`;
      const decision = limiter.take(key);
      if (!decision.allowed) {
        throw new HttpProblem(
          'rate-limited',
          `too many requests from this caller; retry in ${decision.retryAfterSeconds} s`,
          { retryAfterSeconds: decision.retryAfterSeconds },
          { 'retry-after': String(decision.retryAfterSeconds) },
        );
      }
    },
  };
}
