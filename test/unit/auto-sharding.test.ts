import { describe, expect, it } from 'vitest';
import { type AutoShardPolicy, decideShards } from '../../shared/stock/domain/auto-sharding.js';

const policy: AutoShardPolicy = { splitAbovePerShardPerSecond: 2, mergeAfterQuietMs: 600_000, maxShards: 64 };
const minute = 60_000;

describe('deciding a level shard count from its contention', () => {
  it('doubles the shards of a level contended above the threshold per shard', () => {
    expect(
      decideShards({ shards: 4, contended: 600, windowMs: minute, quietForMs: 0 }, policy),
    ).toMatchObject({
      action: 'split',
      to: 8,
    });
  });

  it('keeps a level whose contention per shard is at or below the threshold', () => {
    expect(decideShards({ shards: 4, contended: 480, windowMs: minute, quietForMs: 0 }, policy).action).toBe(
      'keep',
    );
  });

  it('never splits beyond the maximum', () => {
    expect(
      decideShards({ shards: 48, contended: 1e6, windowMs: minute, quietForMs: 0 }, policy),
    ).toMatchObject({
      action: 'split',
      to: 64,
    });
    expect(decideShards({ shards: 64, contended: 1e6, windowMs: minute, quietForMs: 0 }, policy).action).toBe(
      'keep',
    );
  });

  it('halves a sharded level once it has been quiet long enough', () => {
    expect(
      decideShards({ shards: 16, contended: 0, windowMs: minute, quietForMs: 600_000 }, policy),
    ).toMatchObject({
      action: 'merge',
      to: 8,
    });
  });

  it('does not merge a level that was contended recently, nor an unsharded one', () => {
    expect(
      decideShards({ shards: 16, contended: 0, windowMs: minute, quietForMs: 599_999 }, policy).action,
    ).toBe('keep');
    expect(decideShards({ shards: 1, contended: 0, windowMs: minute, quietForMs: 1e9 }, policy).action).toBe(
      'keep',
    );
  });
});
