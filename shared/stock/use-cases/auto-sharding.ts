import { type PrincipalId, parsePrincipalId } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import { type AutoShardPolicy, DEFAULT_AUTO_SHARD_POLICY, decideShards } from '../domain/auto-sharding.js';
import { readLevel } from './reads.js';
import { shardLevel } from './sharding.js';

export const AUTO_SHARDER: PrincipalId = parsePrincipalId('system:auto-shard');
/** Levels are followed this long after their last contention (so that a quiet one is merged back). */
export const FOLLOW_FOR_MS = 24 * 60 * 60_000;
/**
 * How long the buyers of a level being split step back at most (ADR 36): long enough for every contended process
 * to learn of it (one contention flush, FLUSH_EVERY_MS) and for the split's transactions, short enough that a
 * job that died meanwhile costs the level only these seconds of sales.
 */
export const SPLIT_NOTICE_MS = 20_000;

export interface ShardChange {
  readonly sku: string;
  readonly locationId: string;
  readonly from: number;
  readonly to: number;
  readonly action: 'split' | 'merge';
  readonly why: string;
}

export interface AutoShardReport {
  readonly looked: number;
  readonly changes: readonly ShardChange[];
}

/**
 * The scheduled auto-sharding job (ADR 30).
 * 1. List the levels with contention recorded in the last FOLLOW_FOR_MS (the `expiry` index, CONTENTION#n).
 * 2. For each: its contended writes since the job last looked and the time since, its active shards.
 * 3. Decide (domain/auto-sharding.ts): split (double) when contended past the threshold per shard, merge back
 *    (halve) once quiet long enough since the last contention and the last change.
 * 4. Record what was seen (compare-and-set on the record's own check time, so that two runs do not both act
 *    on the same observation); a split is announced on the same record, so that the level's buyers step back
 *    from its hot shards while it is made (ADR 36).
 * 5. Rebalance through `shardLevel`: REBALANCED movements in balanced transactions, as the admin route does;
 *    then withdraw the announcement, whether the rebalance landed or not.
 * Returns every change made, for the job's event log line and metric.
 */
export async function autoShardLevels(
  deps: UseCaseDeps,
  policy: AutoShardPolicy = DEFAULT_AUTO_SHARD_POLICY,
): Promise<AutoShardReport> {
  const now = deps.clock.now();
  const records = await deps.contention.listContended(now - FOLLOW_FOR_MS);
  const changes: ShardChange[] = [];
  for (const record of records) {
    const level = await readLevel(deps, record.sku, record.locationId);
    const since = record.checked?.at ?? Math.min(record.lastContendedAt, now - 60_000);
    const contended = record.contended - (record.checked?.contended ?? 0);
    const quietForMs = Math.min(now - record.lastContendedAt, now - (record.reshardedAt ?? 0));
    const decision = decideShards(
      { shards: level.shards, contended, windowMs: Math.max(1, now - since), quietForMs },
      policy,
    );
    const act = decision.action !== 'keep';
    const announce =
      decision.action === 'split' ? { to: decision.to, until: now + SPLIT_NOTICE_MS } : undefined;
    if (!(await deps.contention.markChecked(record, now, act, announce))) continue;
    if (decision.action === 'keep') continue;
    try {
      await shardLevel(
        deps,
        { sku: record.sku, locationId: record.locationId, shards: decision.to },
        AUTO_SHARDER,
      );
    } finally {
      if (announce) await deps.contention.endSplit(record);
    }
    changes.push({
      sku: record.sku,
      locationId: record.locationId,
      from: level.shards,
      to: decision.to,
      action: decision.action,
      why: decision.why,
    });
  }
  return { looked: records.length, changes };
}
