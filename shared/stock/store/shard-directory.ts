import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { registryName } from './requests/shard-registry.js';

/**
 * A level's shards: `active` ones (0..active-1) take new units; shards up to `span` (every shard that ever
 * existed) may still hold units from before a merge, which they sell and release but never receive.
 */
export interface ShardMap {
  readonly active: number;
  readonly span: number;
}

export const ONE_SHARD: ShardMap = { active: 1, span: 1 };

interface Remembered<T> {
  readonly value: T;
  readonly until: number;
}

/**
 * How many active shards each level has, remembered for a short while so that the reserve path needs no read:
 * a level's own map as last seen, or else the bucket of the registry of sharded levels that lists it (ADR 43; a
 * level absent from a bucket read has one shard). A stale entry is safe: taking from a retired shard is still
 * guarded by that shard's own counters, and adding to one is refused by its `activeShard` guard, after which the
 * store learns the new count and tries again.
 */
export class ShardDirectory {
  private readonly levels = new Map<string, Remembered<ShardMap>>();
  private readonly buckets = new Map<number, Remembered<ReadonlyMap<string, ShardMap>>>();
  private readonly reading = new Map<number, Promise<ReadonlyMap<string, ShardMap>>>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The level's map: its own if seen lately, else what a recent read of its registry bucket says. */
  get(sku: Sku, locationId: LocationId, bucket?: number): ShardMap | undefined {
    const name = registryName(sku, locationId);
    const own = this.fresh(this.levels.get(name));
    if (own) return own;
    if (bucket === undefined) return undefined;
    const listed = this.fresh(this.buckets.get(bucket));
    return listed ? (listed.get(name) ?? ONE_SHARD) : undefined;
  }

  learn(sku: Sku, locationId: LocationId, map: ShardMap): void {
    if (this.levels.size > 100_000) this.levels.clear();
    this.levels.set(registryName(sku, locationId), { value: map, until: this.now() + this.ttlMs });
  }

  /** Remembers a bucket of the registry as read: the sharded levels it lists, by `registryName`. */
  learnBucket(bucket: number, maps: ReadonlyMap<string, ShardMap>): void {
    this.buckets.set(bucket, { value: maps, until: this.now() + this.ttlMs });
  }

  /** Reads a bucket once however many callers miss it at the same time, and remembers what it lists. */
  async readBucket(
    bucket: number,
    read: () => Promise<ReadonlyMap<string, ShardMap>>,
  ): Promise<ReadonlyMap<string, ShardMap>> {
    const pending = this.reading.get(bucket);
    if (pending) return pending;
    const reading = read().then((maps) => {
      this.learnBucket(bucket, maps);
      return maps;
    });
    this.reading.set(bucket, reading);
    try {
      return await reading;
    } finally {
      this.reading.delete(bucket);
    }
  }

  private fresh<T>(entry: Remembered<T> | undefined): T | undefined {
    return entry && entry.until >= this.now() ? entry.value : undefined;
  }
}
