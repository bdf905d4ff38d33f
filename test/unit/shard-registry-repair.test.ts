import { describe, expect, it } from 'vitest';
import { parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import type { ShardMap } from '../../shared/stock/store/shard-directory.js';
import type {
  RegistryEntry,
  RegistryRepairOutcome,
  ShardRegistryStore,
} from '../../shared/stock/store/shard-registry-store.js';
import { repairShardRegistry } from '../../shared/stock/use-cases/shard-registry-repair.js';

const location = parseLocationId('WH-1');
const level = (sku: string, map: ShardMap) => ({ sku: parseSku(sku), locationId: location, map });

/** A registry in memory: its entries, the repairs asked of it, and what each repair answers. */
function aRegistry(
  entries: RegistryEntry[],
  answer: (sku: string) => RegistryRepairOutcome = () => 'repaired',
) {
  const repairs: string[] = [];
  let reads = 0;
  const store: ShardRegistryStore = {
    listEntries: async () => {
      reads++;
      return entries;
    },
    repairEntry: async (sku, _locationId, map) => {
      repairs.push(`${sku} ${map.active}/${map.span}`);
      return answer(sku);
    },
  };
  return { deps: { shardRegistry: store }, repairs, reads: () => reads };
}

describe('the repair of the registry of sharded levels', () => {
  it('writes the entries missing or disagreeing, removes those of levels with one shard, and leaves the right ones', async () => {
    // Prepare
    const registry = aRegistry([
      level('LISTED-RIGHT', { active: 4, span: 4 }),
      level('LISTED-WRONG', { active: 4, span: 4 }),
      level('BACK-TO-ONE', { active: 2, span: 2 }),
    ]);

    // Act
    const repair = await repairShardRegistry(registry.deps, [
      level('LISTED-RIGHT', { active: 4, span: 4 }),
      level('LISTED-WRONG', { active: 2, span: 4 }),
      level('BACK-TO-ONE', { active: 1, span: 1 }),
      level('UNLISTED', { active: 8, span: 8 }),
      level('MERGED-UNLISTED', { active: 1, span: 3 }),
      level('NEVER-SPLIT', { active: 1, span: 1 }),
    ]);

    // Assess
    expect(registry.repairs).toEqual([
      'LISTED-WRONG 2/4',
      'BACK-TO-ONE 1/1',
      'UNLISTED 8/8',
      'MERGED-UNLISTED 1/3',
    ]);
    expect(repair).toEqual({ written: 3, removed: 1, skipped: 0, notStarted: 0 });
    expect(registry.reads()).toBe(1);
  });

  it('counts a repair refused because the level moved on, or met contention, as skipped', async () => {
    // Prepare
    const registry = aRegistry([], (sku) => (sku === 'MOVED' ? 'moved-on' : 'contended'));

    // Act
    const repair = await repairShardRegistry(registry.deps, [
      level('MOVED', { active: 4, span: 4 }),
      level('BUSY', { active: 2, span: 2 }),
    ]);

    // Assess
    expect(repair).toEqual({ written: 0, removed: 0, skipped: 2, notStarted: 0 });
  });

  it('reads nothing when no level was read, and starts no repair once told to stop', async () => {
    // Prepare
    const idle = aRegistry([]);
    const stopped = aRegistry([]);

    // Act
    const none = await repairShardRegistry(idle.deps, []);
    const cut = await repairShardRegistry(stopped.deps, [level('UNLISTED', { active: 4, span: 4 })], {
      shouldStop: () => true,
    });

    // Assess
    expect(none).toEqual({ written: 0, removed: 0, skipped: 0, notStarted: 0 });
    expect(idle.reads()).toBe(0);
    expect(cut).toEqual({ written: 0, removed: 0, skipped: 0, notStarted: 1 });
    expect(stopped.repairs).toEqual([]);
  });
});
