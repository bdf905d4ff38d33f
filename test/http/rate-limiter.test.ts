import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/kernel/clock.js';
import { parsePrincipalId } from '../../shared/kernel/identifiers.js';
import type { Caller, Role } from '../../shared/platform/http/caller.js';
import { limitOf } from '../../shared/platform/http/middleware/rate-limit.js';
import { TokenBucketLimiter } from '../../shared/platform/http/rate-limiter.js';

describe('token bucket per caller', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    const limiter = new TokenBucketLimiter({ requestsPerSecond: 2, burst: 3 }, new ManualClock());
    const decisions = Array.from({ length: 4 }, () => limiter.take('a'));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the configured rate, never above the burst', () => {
    const clock = new ManualClock();
    const limiter = new TokenBucketLimiter({ requestsPerSecond: 1, burst: 2 }, clock);
    limiter.take('a');
    limiter.take('a');
    clock.advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('keeps callers apart', () => {
    const limiter = new TokenBucketLimiter({ requestsPerSecond: 1, burst: 1 }, new ManualClock());
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('says how long to wait when the rate is below one a second', () => {
    const limiter = new TokenBucketLimiter({ requestsPerSecond: 0.25, burst: 1 }, new ManualClock());
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
  });

  it('tracks a bounded number of callers, forgetting the longest tracked first', () => {
    const limiter = new TokenBucketLimiter({ requestsPerSecond: 1, burst: 1 }, new ManualClock(), 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });
});

describe('the limit of a caller', () => {
  const config = {
    callerRateLimit: { requestsPerSecond: 1, burst: 1 },
    roleRateLimits: {
      storefront: { requestsPerSecond: 50, burst: 100 },
      warehouse: { requestsPerSecond: 10, burst: 20 },
      admin: { requestsPerSecond: 20, burst: 40 },
      analyst: { requestsPerSecond: 5, burst: 10 },
    },
  };
  const caller = (...roles: Role[]): Caller => ({
    principal: parsePrincipalId('p-1'),
    roles: new Set(roles),
    locations: new Set(),
  });

  it("is its role's, and the most generous of its roles when it has several", () => {
    expect(limitOf(config, caller('warehouse'))).toEqual({ requestsPerSecond: 10, burst: 20 });
    expect(limitOf(config, caller('warehouse', 'admin'))).toEqual({ requestsPerSecond: 20, burst: 40 });
    expect(limitOf(config, caller('analyst'))).toEqual({ requestsPerSecond: 5, burst: 10 });
  });

  it('is the public limit for a caller without a token', () => {
    expect(limitOf(config, null)).toEqual({ requestsPerSecond: 1, burst: 1 });
  });
});
