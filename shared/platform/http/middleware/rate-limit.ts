import type { MiddlewareObj } from '@middy/core';
import type { RateLimit, ServiceConfig } from '../../config/service-config.js';
import type { Caller, Role } from '../caller.js';
import { HttpProblem } from '../problem.js';
import { TokenBucketLimiter } from '../rate-limiter.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';

const shared = new Map<string, TokenBucketLimiter>();

/**
 * One limiter per process and limit, so that locally (all routes in one process) a caller's limit spans every
 * route; buckets are per caller, so callers that share a limit never share a bucket.
 */
export function processRateLimiter(limit: RateLimit): TokenBucketLimiter {
  const key = `${limit.requestsPerSecond}/${limit.burst}`;
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new TokenBucketLimiter(limit);
    shared.set(key, limiter);
  }
  return limiter;
}

type RateLimits = Pick<ServiceConfig, 'callerRateLimit' | 'roleRateLimits'>;

/** The limit of a caller: its most generous role's; a public caller (no token) gets `callerRateLimit`. */
export function limitOf(config: RateLimits, caller: Caller | null | undefined): RateLimit {
  const byRole: Readonly<Record<Role, RateLimit>> = config.roleRateLimits;
  const limits = caller ? [...caller.roles].map((role) => byRole[role]) : [];
  return (
    limits.reduce<RateLimit | null>(
      (best, limit) => (!best || limit.requestsPerSecond > best.requestsPerSecond ? limit : best),
      null,
    ) ?? config.callerRateLimit
  );
}

/** 429 with `Retry-After` once a caller (its `sub`, or its IP on public routes) has used up its bucket. */
export function rateLimit(config: RateLimits): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'rateLimit',
    before: ({ event }) => {
      const { caller } = requestState(event);
      const key = caller
        ? `sub:${caller.principal}`
        : `ip:${event.requestContext?.http?.sourceIp ?? 'unknown'}`;
      const decision = processRateLimiter(limitOf(config, caller)).take(key);
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
