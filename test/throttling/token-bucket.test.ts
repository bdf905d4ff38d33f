import { describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../infra/local/throttling/token-bucket.js';
import { ManualClock } from '../../shared/kernel/clock.js';

const limit = { ratePerSecond: 10, burst: 10 };

describe('token buckets', () => {
  it('lets a new key spend its burst at once and refuses the next unit', () => {
    // Prepare
    const buckets = new TokenBuckets(new ManualClock());
    // Act
    const first = buckets.take([{ key: 'a', units: 10, limit }]);
    const second = buckets.take([{ key: 'a', units: 1, limit }]);
    // Assess
    expect(first).toEqual({ taken: true });
    expect(second).toEqual({ taken: false, short: ['a'] });
  });

  it('refills at the rate of the limit as the clock moves', () => {
    // Prepare
    const clock = new ManualClock();
    const buckets = new TokenBuckets(clock);
    buckets.take([{ key: 'a', units: 10, limit }]);
    // Act
    clock.advance(300);
    // Assess
    expect(buckets.tokens('a', limit)).toBeCloseTo(3);
    expect(buckets.take([{ key: 'a', units: 4, limit }])).toEqual({ taken: false, short: ['a'] });
    expect(buckets.take([{ key: 'a', units: 3, limit }])).toEqual({ taken: true });
  });

  it('never saves more than the burst while idle', () => {
    // Prepare
    const clock = new ManualClock();
    const buckets = new TokenBuckets(clock);
    buckets.take([{ key: 'a', units: 1, limit }]);
    // Act
    clock.advance(60_000);
    // Assess
    expect(buckets.tokens('a', limit)).toBe(10);
  });

  it('takes nothing from any key when one key of the request is short', () => {
    // Prepare
    const buckets = new TokenBuckets(new ManualClock());
    buckets.take([{ key: 'hot', units: 9, limit }]);
    // Act
    const result = buckets.take([
      { key: 'cold', units: 5, limit },
      { key: 'hot', units: 2, limit },
    ]);
    // Assess
    expect(result).toEqual({ taken: false, short: ['hot'] });
    expect(buckets.tokens('cold', limit)).toBe(10);
    expect(buckets.tokens('hot', limit)).toBe(1);
  });

  it('adds up the charges of one request on the same key', () => {
    // Prepare
    const buckets = new TokenBuckets(new ManualClock());
    // Act
    const result = buckets.take([
      { key: 'a', units: 6, limit },
      { key: 'a', units: 6, limit },
    ]);
    // Assess
    expect(result).toEqual({ taken: false, short: ['a'] });
  });
});
