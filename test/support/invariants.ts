import { expect } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import type { Stores } from '../../shared/platform/runtime/stores.js';
import { replay } from '../../shared/stock/domain/movement.js';
import { availableOf, COUNTED_BUCKETS, invariantBreaches } from '../../shared/stock/domain/stock-level.js';

/**
 * Asserts the bucket invariant of a level and that replaying its ledger gives exactly its counters, with one
 * movement per version.
 */
export async function expectLevelConsistent(
  stores: Pick<Stores, 'levels' | 'ledger'>,
  sku: Sku,
  locationId: LocationId,
) {
  const shards = await stores.levels.getLevelShards(sku, locationId);
  expect(shards.length).toBeGreaterThan(0);
  for (const shard of shards)
    expect(invariantBreaches(shard), `${sku}@${locationId}#${shard.shard}`).toEqual([]);
  const level = await stores.levels.getLevel(sku, locationId);
  const movements = await stores.ledger.allMovements(sku, locationId);
  const replayed = replay(movements);
  const counters = Object.fromEntries(COUNTED_BUCKETS.map((b) => [b, level?.[b]]));
  expect(replayed.buckets, `ledger replay of ${sku}@${locationId}`).toEqual(counters);
  expect(availableOf(replayed.buckets)).toBe(level?.available);
  expect(replayed.count).toBe(level?.version);
  return level;
}
