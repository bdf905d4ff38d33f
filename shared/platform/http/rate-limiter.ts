import { type Clock, systemClock } from '../../kernel/clock.js';
import type { RateLimit } from '../config/service-config.js';

export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller: `burst` tokens, refilled at `requestsPerSecond`; a request takes one. It lives in
 * the process, so in Lambda it limits per function instance and locally it is exact (see
 * docs/decisions/0004-per-caller-rate-limit.md). The number of callers tracked is bounded; past the bound the
 * longest-tracked are forgotten first, which at worst gives one of them a fresh burst.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
    private readonly maxCallers = 10_000,
  ) {}

  take(caller: string): RateDecision {
    const now = this.clock.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.limit.burst, at: now };
    const refill = ((now - bucket.at) / 1000) * this.limit.requestsPerSecond;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + Math.max(0, refill));
    bucket.at = now;
    this.remember(caller, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.requestsPerSecond)),
    };
  }

  private remember(caller: string, bucket: Bucket): void {
    if (!this.buckets.has(caller)) {
      for (const oldest of this.buckets.keys()) {
        if (this.buckets.size < this.maxCallers) break;
        this.buckets.delete(oldest);
      }
    }
    this.buckets.set(caller, bucket);
  }
}
