import {
  BusinessRuleError,
  InsufficientStockError,
  NotFoundError,
  VersionConflictError,
} from '../../kernel/errors.js';
import type { IdempotencyKey, LocationId, Sku } from '../../kernel/identifiers.js';
import type { LevelShard } from './level-shard.js';

export interface CountRequest {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly onHand: number;
  readonly expectedVersion: number;
  readonly idempotencyKey?: IdempotencyKey | null;
}

export interface CountPlan {
  /** The level's on-hand as read: the write moves on-hand by (counted − this), guarded by the expected version. */
  readonly currentOnHand: number;
}

/**
 * Decide, from a level's shards as read, whether a count may be written, or refuse it:
 * - no shard: the level does not exist (NotFoundError);
 * - more than one shard: a sharded level is counted by adjusting with a delta (BusinessRuleError);
 * - a version other than the expected one, without an idempotency key: a conflict at once (VersionConflictError);
 * - at the expected version, a count below what is reserved, committed and blocked (InsufficientStockError).
 */
export function countPlan(count: CountRequest, shards: readonly LevelShard[]): CountPlan {
  const [shard] = shards;
  if (!shard) throw new NotFoundError('level', `${count.sku}@${count.locationId}`);
  if (shards.length > 1) {
    throw new BusinessRuleError(
      'sharded-level-count',
      'a sharded level is counted by adjusting with a delta',
    );
  }
  const atExpected = shard.version === count.expectedVersion;
  // With a key, a retry of an applied count must reach the store to be recognised as a replay.
  if (!atExpected && !count.idempotencyKey)
    throw new VersionConflictError(count.expectedVersion, shard.version);
  const taking = shard.onHand - count.onHand;
  if (atExpected && taking > shard.available) {
    throw new InsufficientStockError({
      sku: count.sku,
      locationId: count.locationId,
      bucket: 'available',
      requested: taking,
      available: shard.available,
    });
  }
  return { currentOnHand: shard.onHand };
}
