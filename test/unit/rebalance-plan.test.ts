import { describe, expect, it } from 'vitest';
import { parseLocationId, parsePrincipalId, parseSku } from '../../shared/kernel/identifiers.js';
import type { ChangeContext } from '../../shared/platform/store/commands.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import type { PlannedTransaction } from '../../shared/stock/store/requests/plan.js';
import {
  buildRebalance,
  SHARDS_PER_REBALANCE_TRANSACTION,
} from '../../shared/stock/store/requests/rebalance.js';
import { aLevelShard } from '../support/level-shard.js';

const sku = parseSku('SKU-1');
const locationId = parseLocationId('WH-1');
const context: ChangeContext = {
  actor: parsePrincipalId('clerk'),
  at: '2026-11-21T09:00:00.000Z',
  reason: 'test',
  reference: null,
};
const M1 = '01JABCDEFGHJKMNPQRSTVWXYZ1';

const shard = (n: number, available: number, shardCount: number): LevelShard =>
  aLevelShard({ sku, locationId, shard: n, available, shardCount });

type Update = { Key?: { sk?: string }; ExpressionAttributeValues?: Record<string, number> };
/** Each transaction's level updates: shard and change of on-hand. */
function levelChanges(
  planned: PlannedTransaction,
): { shard: number; delta: number; shardCount: number; shardSpan: number }[] {
  return planned.items
    .filter((_, i) => planned.roles[i]?.role === 'level')
    .map((item) => {
      const update = (item as { Update: Update }).Update;
      return {
        shard: Number(update.Key?.sk?.split('#').pop()),
        delta: update.ExpressionAttributeValues?.[':d_onHand'] ?? 0,
        shardCount: update.ExpressionAttributeValues?.[':s_shardCount'] ?? -1,
        shardSpan: update.ExpressionAttributeValues?.[':s_shardSpan'] ?? -1,
      };
    });
}

describe('a rebalance planned as transactions', () => {
  it('splits one shard into 64 in transactions of at most 100 items that each balance, the shard map changing last', () => {
    // Act
    const plans = buildRebalance(T(), { sku, locationId, shards: 64, movementId: M1, context }, [
      shard(0, 6400, 1),
    ]);

    // Assess
    expect(plans.length).toBeGreaterThan(1);
    for (const planned of plans) {
      expect(planned.items.length).toBeLessThanOrEqual(100);
      expect(levelChanges(planned).reduce((sum, c) => sum + c.delta, 0)).toBe(0);
    }
    const all = plans.flatMap(levelChanges);
    const finalOf = new Map<number, number>();
    for (const c of all) finalOf.set(c.shard, (finalOf.get(c.shard) ?? (c.shard === 0 ? 6400 : 0)) + c.delta);
    expect([...finalOf.values()].every((units) => units === 100)).toBe(true);
    expect(finalOf.size).toBe(64);
    const lastZero = levelChanges(plans[plans.length - 1] as PlannedTransaction).find((c) => c.shard === 0);
    expect(lastZero?.shardCount).toBe(64);
    const earlierZero = plans
      .slice(0, -1)
      .flatMap(levelChanges)
      .filter((c) => c.shard === 0);
    expect(earlierZero.map((c) => c.shardCount)).toEqual(earlierZero.map(() => -1));
    expect(new Set(all.filter((c) => c.shard !== 0).map((c) => c.shardCount))).toEqual(new Set([64]));
    expect(SHARDS_PER_REBALANCE_TRANSACTION * 2).toBeLessThanOrEqual(100);
  });

  it('gives shard 0 the new span in the first transaction of a split, before any new shard gets units', () => {
    // Act: readers find the shards beyond shard 0 by its span, so it must cover every shard that holds units
    // whichever transactions applied.
    const plans = buildRebalance(T(), { sku, locationId, shards: 64, movementId: M1, context }, [
      shard(0, 6400, 1),
    ]);

    // Assess
    expect(plans.length).toBeGreaterThan(1);
    const first = levelChanges(plans[0] as PlannedTransaction);
    expect(first.find((c) => c.shard === 0)).toMatchObject({ shardSpan: 64, shardCount: -1 });
  });

  it('writes shard 0 alone first when the first transaction of a split has no room for it', () => {
    // Prepare: 6,400 units over 64 shards is 100 each: shard 0 already has its 100, so it neither gives nor
    // takes, and the first transaction's 48 shards are givers and takers only.
    const current = [shard(0, 100, 3), shard(1, 3100, 3), shard(2, 3200, 3)];

    // Act
    const plans = buildRebalance(T(), { sku, locationId, shards: 64, movementId: M1, context }, current);

    // Assess
    expect(levelChanges(plans[0] as PlannedTransaction)).toEqual([
      { shard: 0, delta: 0, shardCount: -1, shardSpan: 64 },
    ]);
    const withNewShards = plans.findIndex((p) => levelChanges(p).some((c) => c.shard >= 3));
    const spanKnown = plans.findIndex((p) =>
      levelChanges(p).some((c) => c.shard === 0 && c.shardSpan === 64),
    );
    expect(spanKnown).toBeLessThanOrEqual(withNewShards);
    for (const planned of plans) expect(levelChanges(planned).reduce((sum, c) => sum + c.delta, 0)).toBe(0);
  });

  it('writes every retired shard on a merge, even one with nothing free, so that it refuses new units', () => {
    // Prepare: 4 shards, shard 3 has nothing free
    const current = [shard(0, 5, 4), shard(1, 5, 4), shard(2, 5, 4), shard(3, 0, 4)];

    // Act
    const plans = buildRebalance(T(), { sku, locationId, shards: 1, movementId: M1, context }, current);

    // Assess
    const all = plans.flatMap(levelChanges);
    expect(all.map((c) => c.shard).sort()).toEqual([0, 1, 2, 3]);
    expect(all.find((c) => c.shard === 0)?.delta).toBe(10);
    expect(all.find((c) => c.shard === 3)).toMatchObject({ delta: 0, shardCount: 1 });
  });

  it('gives every movement of the rebalance its own id', () => {
    // Act
    const plans = buildRebalance(T(), { sku, locationId, shards: 64, movementId: M1, context }, [
      shard(0, 640, 1),
    ]);

    // Assess
    const ids = plans.flatMap((p) => p.movementIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(64);
  });
});

function T(): string {
  return 'inventory';
}
