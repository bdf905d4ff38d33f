import { describe, expect, it } from 'vitest';
import { useTestApi } from './support/api.js';
import { call, expectProblem, type Reply } from './support/http.js';
import { aBuyer } from './support/world.js';

/**
 * A bucket of 3 requests, refilled at one a second, per caller. The tests send more requests than a refill
 * could cover in the time they take, so that they hold however slow the machine is.
 */
const api = useTestApi({ CALLER_RATE_LIMIT_PER_SECOND: '1', CALLER_RATE_LIMIT_BURST: '3' });

async function burst(token: string, paths: readonly string[]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const path of paths) replies.push(await call(api().url, 'GET', path, { token }));
  return replies;
}

describe('per-caller rate limit', () => {
  it('answers 429 with Retry-After once a caller has spent its burst, without slowing another caller', async () => {
    // Prepare
    const greedy = await aBuyer(api(), 'greedy');
    const patient = await aBuyer(api(), 'patient');

    // Act
    const replies = await burst(greedy.token, Array(10).fill('/locations'));
    const other = await call(api().url, 'GET', '/locations', { token: patient.token });

    // Assess
    expect(replies.slice(0, 3).map((r) => r.status)).toEqual([200, 200, 200]);
    const limited = replies.find((r) => r.status === 429);
    if (!limited) throw new Error('no request was limited');
    expectProblem(limited, 'rate-limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.retryAfterSeconds).toBe(Number(limited.headers.get('retry-after')));
    expect(other.status).toBe(200);
  });

  it('counts a caller across routes: the limit is per caller, not per route', async () => {
    const buyer = await aBuyer(api());
    const paths = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? '/locations' : `/skus/SKU-${i}/availability`,
    );
    const replies = await burst(buyer.token, paths);
    expect(replies.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(replies.filter((r) => r.status === 200).length).toBeLessThan(10);
    const limitedRoutes = replies
      .filter((r) => r.status === 429)
      .map((r) => (String(r.body.instance) === '/locations' ? 'locations' : 'availability'));
    expect(new Set(limitedRoutes)).toEqual(new Set(['locations', 'availability']));
  });
});
