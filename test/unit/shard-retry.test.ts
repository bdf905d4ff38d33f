import { describe, expect, it } from 'vitest';
import { ConcurrencyLimitError } from '../../shared/kernel/errors.js';
import { PLAN_AGAIN, retryOverShards, type ShardAttempt } from '../../shared/stock/store/shard-retry.js';

const settled = <T>(value: T): ShardAttempt<T> => ({ settled: value });

describe('the shard retry loop', () => {
  it('returns the result of the first attempt that settles, with no further attempt', async () => {
    // Prepare
    const seen: number[] = [];

    // Act
    const result = await retryOverShards(
      4,
      async (n) => {
        seen.push(n);
        return n < 2 ? PLAN_AGAIN : settled(`settled at ${n}`);
      },
      () => new Error('exhausted'),
    );

    // Assess
    expect(result).toBe('settled at 2');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('throws the exhausted error after the bounded number of attempts', async () => {
    let attempts = 0;

    const error = await retryOverShards(
      3,
      async () => {
        attempts++;
        return PLAN_AGAIN;
      },
      () => new RangeError('no plan held'),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RangeError);
    expect(attempts).toBe(3);
  });

  it('answers busy by default when every attempt asked to be planned again', async () => {
    // Prepare
    let attempts = 0;

    // Act
    const error = await retryOverShards(4, async () => {
      attempts++;
      return PLAN_AGAIN;
    }).catch((e: unknown) => e);

    // Assess: a 503 with Retry-After that says why, after the bounded number of attempts
    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect((error as ConcurrencyLimitError).details).toEqual({ retryAfterSeconds: 1 });
    expect((error as ConcurrencyLimitError).message).toMatch(/shards kept changing/);
    expect(attempts).toBe(4);
  });

  it('lets an error thrown by an attempt through at once', async () => {
    let attempts = 0;

    const error = await retryOverShards(
      5,
      async () => {
        attempts++;
        throw new TypeError('refused for good');
      },
      () => new Error('exhausted'),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TypeError);
    expect(attempts).toBe(1);
  });
});
