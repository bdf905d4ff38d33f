import { ValidationError } from '../../kernel/errors.js';
import type { LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import { changeContext } from '../../platform/use-cases/context.js';
import { MAX_SHARDS } from '../domain/sharding.js';
import { type LevelView, readLevel } from './reads.js';

export interface ShardLevelInput {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shards: number;
}

/**
 * Split a hot level into N sub-counters (or merge it back), for the hot-SKU case (docs/hot-skus.md).
 * 1. Check 1 <= N <= MAX_SHARDS.
 * 2. One transaction, compare-and-set on every existing shard's version: the level's free units are spread
 *    evenly over shards 0..N-1, every shard records the new count and a REBALANCED movement. Units that are
 *    promised (reserved, committed, blocked) stay on the shard that holds them until they are released.
 * 3. Read the level back: its totals are unchanged.
 */
export async function shardLevel(
  deps: UseCaseDeps,
  input: ShardLevelInput,
  actor: PrincipalId,
): Promise<LevelView> {
  if (!Number.isInteger(input.shards) || input.shards < 1 || input.shards > MAX_SHARDS) {
    throw new ValidationError('shards', `shards must be an integer from 1 to ${MAX_SHARDS}`);
  }
  await deps.levels.rebalance({
    sku: input.sku,
    locationId: input.locationId,
    shards: input.shards,
    movementId: deps.ids.next(),
    context: changeContext(deps, { actor, reason: `rebalance to ${input.shards} shards` }),
  });
  return readLevel(deps, input.sku, input.locationId);
}
