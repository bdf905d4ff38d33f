import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Stores } from '../../platform/runtime/stores.js';
import type { ShardMap } from '../store/shard-directory.js';

/** A level's shard map as its shard 0 showed it when read. */
export interface LevelMapRead {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly map: ShardMap;
}

export interface RegistryRepair {
  /** Entries written: a sharded level its bucket did not list (a table split before ADR 43), or listed otherwise. */
  readonly written: number;
  /** Entries removed: a listed level whose shard 0 says one shard and no retired one. */
  readonly removed: number;
  /** Repairs not made: the level's shard 0 changed since it was read, or the write met contention (next run). */
  readonly skipped: number;
  /** Repairs not started because the run was told to stop (its time was running out): the next run makes them. */
  readonly notStarted: number;
}

export const NO_REPAIR: RegistryRepair = { written: 0, removed: 0, skipped: 0, notStarted: 0 };

/** A level belongs in the registry when it has more than one shard, or a retired one (ADR 43). */
const belongsListed = (map: ShardMap): boolean => map.active !== 1 || map.span !== 1;

const sameMap = (a: ShardMap | undefined, b: ShardMap | undefined): boolean =>
  a?.active === b?.active && a?.span === b?.span;

const nameOf = (level: { sku: Sku; locationId: LocationId }) => `${level.sku}#${level.locationId}`;

/**
 * Repairs the registry of sharded levels from the shard maps of levels read (ADR 43, "Repair"): a table split
 * before the registry existed lists none of its sharded levels, and an entry might disagree with its level after
 * a failure. Only the given levels are judged: an entry of a level not read is left as it is.
 * 1. Read every bucket of the registry (strongly consistent, one read each).
 * 2. For each level whose shard 0 shows another map than its entry (no entry standing for one shard and no retired
 *    one): one transaction that checks shard 0 still shows the map read and writes the entry (or removes it).
 * 3. A check that fails means a rebalance changed the level since the read and wrote its own entry in its own
 *    transaction: skipped, like a write that met contention; the next run looks again. Stock is never written.
 */
export async function repairShardRegistry(
  deps: Pick<Stores, 'shardRegistry'>,
  levels: readonly LevelMapRead[],
  options: { readonly shouldStop?: () => boolean } = {},
): Promise<RegistryRepair> {
  if (levels.length === 0) return NO_REPAIR;
  const listed = new Map((await deps.shardRegistry.listEntries()).map((e) => [nameOf(e), e.map]));
  let written = 0;
  let removed = 0;
  let skipped = 0;
  let notStarted = 0;
  for (const level of levels) {
    const wanted = belongsListed(level.map) ? level.map : undefined;
    if (sameMap(listed.get(nameOf(level)), wanted)) continue;
    if (notStarted > 0 || options.shouldStop?.()) {
      notStarted += 1;
      continue;
    }
    const outcome = await deps.shardRegistry.repairEntry(level.sku, level.locationId, level.map);
    if (outcome !== 'repaired') skipped += 1;
    else if (wanted) written += 1;
    else removed += 1;
  }
  return { written, removed, skipped, notStarted };
}
