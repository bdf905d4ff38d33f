import { ConcurrencyLimitError } from '../../kernel/errors.js';

/** An attempt of a write planned over a level's shards: settled with a result, or to be planned again. */
export type ShardAttempt<T> = { readonly settled: T } | PlanAgain;
export interface PlanAgain {
  readonly planAgain: true;
}

export const PLAN_AGAIN: PlanAgain = { planAgain: true };

/**
 * The one retry loop of writes planned over a level's shards. An attempt plans from what is known of the shards
 * and sends; it settles (a result, or a thrown error), or asks to be planned again when a fresher view of the
 * shards could change the answer (a stale shard map, one shard short while others may have the units). Every
 * part of a plan is guarded by its own shard, so a stale plan fails and never oversells; after `attempts`
 * attempts, `exhausted()` is thrown: by default a busy answer (nothing was written, so the same request may
 * simply be sent again).
 */
export async function retryOverShards<T>(
  attempts: number,
  attempt: (n: number) => Promise<ShardAttempt<T>>,
  exhausted: () => Error = shardsKeptChanging,
): Promise<T> {
  for (let n = 0; n < attempts; n++) {
    const result = await attempt(n);
    if ('settled' in result) return result.settled;
  }
  throw exhausted();
}

/** Every attempt was planned again because the level's shards kept changing (rebalances in a row, ...). */
export function shardsKeptChanging(): ConcurrencyLimitError {
  return new ConcurrencyLimitError(
    1,
    "this stock level's shards kept changing while the write was planned; nothing was changed, retry shortly",
  );
}
