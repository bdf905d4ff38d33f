import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Buckets } from './stock-level.js';

/**
 * One shard (sub-counter) of a stock level: its buckets, its place among the level's shards and its version. A
 * level is the sum of its shards; the policy lives on shard 0.
 */
export interface LevelShard extends Buckets {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  /** Active shards of the level, as last set by a rebalance (absent: 1). */
  readonly shardCount: number;
  /** Every shard that exists (retired ones included), as last set by a rebalance (absent: shardCount). */
  readonly shardSpan: number;
  readonly available: number;
  readonly version: number;
  readonly updatedAt?: string;
  readonly reorderPoint?: number | null;
  readonly reorderQuantity?: number | null;
}
