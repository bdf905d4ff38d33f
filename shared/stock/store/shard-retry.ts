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
 * attempts, `exhausted()` is thrown.
 */
export async function retryOverShards<T>(
  attempts: number,
  attempt: (n: number) => Promise<ShardAttempt<T>>,
  exhausted: () => Error,
): Promise<T> {
  for (let n = 0; n < attempts; n++) {
    const result = await attempt(n);
    if ('settled' in result) return result.settled;
  }
  throw exhausted();
}
