import type { Clock } from '../../../shared/kernel/clock.js';

/**
 * Token buckets over named keys (an item, a partition), refilled continuously at `ratePerSecond` up to
 * `burst` tokens. A request takes its charges from every bucket it touches, all or nothing: if one bucket is
 * short, nothing is taken and the keys that are short are named (as DynamoDB refuses a whole request and
 * consumes no capacity for it). Pure: time comes from the injected clock.
 */
export interface BucketLimit {
  readonly ratePerSecond: number;
  /** The most tokens a bucket holds (a new bucket starts full). */
  readonly burst: number;
}

export interface Charge {
  readonly key: string;
  readonly units: number;
  readonly limit: BucketLimit;
}

export type TakeResult =
  | { readonly taken: true }
  | { readonly taken: false; readonly short: readonly string[] };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes every charge, or none of them. Charges on the same key add up. */
  take(charges: readonly Charge[]): TakeResult {
    const now = this.clock.now();
    const wanted = new Map<string, { units: number; limit: BucketLimit }>();
    for (const { key, units, limit } of charges) {
      const before = wanted.get(key);
      wanted.set(key, { units: (before?.units ?? 0) + units, limit });
    }
    const short: string[] = [];
    for (const [key, { units, limit }] of wanted) {
      if (this.refilled(key, limit, now).tokens < units) short.push(key);
    }
    if (short.length > 0) return { taken: false, short };
    for (const [key, { units }] of wanted) {
      const bucket = this.buckets.get(key) as Bucket;
      bucket.tokens -= units;
    }
    return { taken: true };
  }

  /** Tokens a key has now (a key never charged is full). */
  tokens(key: string, limit: BucketLimit): number {
    return this.refilled(key, limit, this.clock.now()).tokens;
  }

  private refilled(key: string, limit: BucketLimit, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) {
      const fresh = { tokens: limit.burst, at: now };
      this.buckets.set(key, fresh);
      return fresh;
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * limit.ratePerSecond);
    bucket.at = now;
    return bucket;
  }
}
