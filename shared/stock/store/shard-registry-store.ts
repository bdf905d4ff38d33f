import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { ShardMap } from './shard-directory.js';

/** A level the registry of sharded levels lists, with the map it lists (ADR 43). */
export interface RegistryEntry {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly map: ShardMap;
}

/**
 * What a repair of an entry did: `repaired` (the entry now says what shard 0 said), `moved-on` (shard 0 no longer
 * shows the map it was read with: a rebalance wrote the entry itself, nothing was written), `contended` (the
 * transaction met another on the same items: nothing was written).
 */
export type RegistryRepairOutcome = 'repaired' | 'moved-on' | 'contended';

/** The registry of sharded levels (ADR 43), as its repair sees it; routing reads it through the shard directory. */
export interface ShardRegistryStore {
  /** Every entry of every bucket (strongly consistent: one read per bucket). */
  listEntries(): Promise<RegistryEntry[]>;
  /**
   * Sets the level's entry to the map its shard 0 was read with (removes it for one shard and no retired one),
   * in one transaction with a check that shard 0 still shows that map.
   */
  repairEntry(sku: Sku, locationId: LocationId, map: ShardMap): Promise<RegistryRepairOutcome>;
}
