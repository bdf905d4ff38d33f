import { ValidationError } from '../../kernel/errors.js';

/** Bounds on how long a hold lives. The deployed values come from the environment's config. */
export interface HoldPolicy {
  readonly defaultTtlSeconds: number;
  readonly minTtlSeconds: number;
  readonly maxTtlSeconds: number;
  /** A hold may be extended, but never past this long after it was made. */
  readonly maxHoldSeconds: number;
  /** How long a resolved reservation is kept before DynamoDB TTL purges it. */
  readonly retentionSeconds: number;
  /** How long after its expiry an unresolved hold may be purged by TTL (the sweeper is the real mechanism). */
  readonly purgeGraceSeconds: number;
}

export const DEFAULT_HOLD_POLICY: HoldPolicy = Object.freeze({
  defaultTtlSeconds: 15 * 60,
  minTtlSeconds: 10,
  maxTtlSeconds: 24 * 60 * 60,
  maxHoldSeconds: 7 * 24 * 60 * 60,
  retentionSeconds: 30 * 24 * 60 * 60,
  purgeGraceSeconds: 24 * 60 * 60,
});

export function parseTtlSeconds(value: unknown, policy: HoldPolicy, field = 'ttlSeconds'): number {
  if (value === undefined) return policy.defaultTtlSeconds;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < policy.minTtlSeconds ||
    value > policy.maxTtlSeconds
  ) {
    throw new ValidationError(
      field,
      `${field} must be an integer from ${policy.minTtlSeconds} to ${policy.maxTtlSeconds}`,
    );
  }
  return value;
}
