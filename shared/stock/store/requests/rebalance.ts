import type { RebalanceCommand } from '../../../platform/store/commands.js';
import type { LevelShard } from '../../domain/level-shard.js';
import { planRebalance } from '../../domain/sharding.js';
import { plan } from './plan.js';
import { type ShardChange, shardSteps } from './shard-changes.js';
import type { Planned } from './stock-changes.js';

/**
 * Set a level's number of active shards and spread its free units evenly over them, in one transaction.
 * Each existing shard is guarded by the version it was read at (compare-and-set), new shards must not exist,
 * retired shards keep only what is promised (reserved, committed, blocked): they receive nothing new, and what
 * they free is still sold from them. Every shard gets the new `shardCount` and `shardSpan` (all shards that
 * exist) and a REBALANCED movement, so that each shard's ledger still counts its versions.
 */
export function buildRebalance(
  tableName: string,
  cmd: RebalanceCommand,
  current: readonly LevelShard[],
): Planned {
  const deltas = planRebalance(
    current.map((s) => ({ shard: s.shard, have: s.available })),
    cmd.shards,
  );
  const byShard = new Map(current.map((s) => [s.shard, s]));
  const span = Math.max(cmd.shards, ...current.map((s) => s.shard + 1), ...current.map((s) => s.shardSpan));
  const changes: ShardChange[] = [...deltas].map(([shard, onHand]) => {
    const existing = byShard.get(shard);
    return {
      shard,
      delta: { onHand },
      guard: existing ? { version: existing.version } : null,
      upsert: !existing,
      needsActiveShard: false,
      ...(existing ? {} : { mustBeNew: true }),
      set: { shardCount: cmd.shards, shardSpan: span },
    };
  });
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.locationId,
      type: 'REBALANCED',
      context: cmd.context,
      movementId: cmd.movementId,
    },
    changes,
  );
  return { ...plan(...steps), movementIds };
}
