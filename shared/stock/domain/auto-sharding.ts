import { MAX_SHARDS } from './sharding.js';

/**
 * When a level's shard count should follow its load (ADR 30). Pure: the scheduled job feeds it what the
 * reserve path recorded (contention: a transaction of the level cancelled for throttling or conflict and
 * retried) and the level's shard count.
 */
export interface AutoShardPolicy {
  /** Contended writes per second, per active shard, above which the level is split. */
  readonly splitAbovePerShardPerSecond: number;
  /** How long a level must have had no contention before it is merged back by one step. */
  readonly mergeAfterQuietMs: number;
  /** The shard count never goes above this (MAX_SHARDS at most). */
  readonly maxShards: number;
}

export const DEFAULT_AUTO_SHARD_POLICY: AutoShardPolicy = {
  splitAbovePerShardPerSecond: 1,
  mergeAfterQuietMs: 30 * 60_000,
  maxShards: MAX_SHARDS,
};

export interface LevelLoad {
  /** Active shards now. */
  readonly shards: number;
  /** Contended writes recorded over the window. */
  readonly contended: number;
  readonly windowMs: number;
  /** Time since the last contention recorded, or null if none is known. */
  readonly quietForMs: number | null;
}

export type ShardDecision =
  | { readonly action: 'split' | 'merge'; readonly to: number; readonly why: string }
  | { readonly action: 'keep'; readonly why: string };

/**
 * Split (double, up to the maximum) when the contention per shard is above the threshold; merge back (halve)
 * once the level has been quiet long enough; otherwise keep. Doubling reaches 64 shards from 1 in six steps,
 * and halving makes a merge as gradual as the splits were.
 */
export function decideShards(
  load: LevelLoad,
  policy: AutoShardPolicy = DEFAULT_AUTO_SHARD_POLICY,
): ShardDecision {
  const max = Math.min(policy.maxShards, MAX_SHARDS);
  const perShardPerSecond = load.contended / Math.max(1, load.shards) / Math.max(0.001, load.windowMs / 1000);
  if (load.contended > 0 && perShardPerSecond > policy.splitAbovePerShardPerSecond) {
    if (load.shards >= max) return { action: 'keep', why: `contended but already at ${max} shards` };
    return {
      action: 'split',
      to: Math.min(max, load.shards * 2),
      why: `${perShardPerSecond.toFixed(2)} contended writes/s per shard > ${policy.splitAbovePerShardPerSecond}`,
    };
  }
  if (load.shards > 1 && load.contended === 0 && (load.quietForMs ?? 0) >= policy.mergeAfterQuietMs) {
    return {
      action: 'merge',
      to: Math.max(1, Math.floor(load.shards / 2)),
      why: `no contention for ${Math.round((load.quietForMs ?? 0) / 1000)} s`,
    };
  }
  return { action: 'keep', why: 'within the thresholds' };
}
