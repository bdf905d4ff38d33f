import { parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';

/**
 * A level shard as the store reads it, for pure tests: SKU-1 at WH-1, shard 0 of one, nothing on hand, version 1;
 * `onHand` defaults to what is available plus reserved, so that a shard given only those is consistent.
 */
export function aLevelShard(fields: Partial<LevelShard> = {}): LevelShard {
  const available = fields.available ?? 0;
  const reserved = fields.reserved ?? 0;
  const shardCount = fields.shardCount ?? 1;
  return {
    sku: parseSku('SKU-1'),
    locationId: parseLocationId('WH-1'),
    shard: 0,
    shardCount,
    shardSpan: shardCount,
    onHand: available + reserved,
    reserved,
    committed: 0,
    unavailable: 0,
    safetyStock: 0,
    incoming: 0,
    available,
    version: 1,
    ...fields,
  };
}
