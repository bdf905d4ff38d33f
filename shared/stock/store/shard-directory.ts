import type { LocationId, Sku } from '../../kernel/identifiers.js';

/**
 * A level's shards: `active` ones (0..active-1) take new units; shards up to `span` (every shard that ever
 * existed) may still hold units from before a merge, which they sell and release but never receive.
 */
export interface ShardMap {
  readonly active: number;
  readonly span: number;
}

/**
 * How many active shards each level has, remembered for a short while so that the reserve path needs no read.
 * A stale entry is safe: taking from a retired shard is still guarded by that shard's own counters, and adding
 * to one is refused by its `activeShard` guard, after which the store learns the new count and tries again.
 */
export class ShardDirectory {
  private readonly entries = new Map<string, ShardMap & { until: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(sku: Sku, locationId: LocationId): ShardMap | undefined {
    const entry = this.entries.get(`${sku}#${locationId}`);
    if (!entry || entry.until < this.now()) return undefined;
    return { active: entry.active, span: entry.span };
  }

  learn(sku: Sku, locationId: LocationId, map: ShardMap): void {
    if (this.entries.size > 100_000) this.entries.clear();
    this.entries.set(`${sku}#${locationId}`, { ...map, until: this.now() + this.ttlMs });
  }
}
