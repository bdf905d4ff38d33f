import { describe, expect, it } from 'vitest';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer } from './support/world.js';

/**
 * A bucket of 3 requests, refilled at one a second, per caller. The requests of a test are sent at once, so
 * that they all arrive well within a second; the assertions allow one refill, so they hold on a slow machine.
 */
const api = useTestApi({ CALLER_RATE_LIMIT_PER_SECOND: '1', CALLER_RATE_LIMIT_BURST: '3' });

const burst = (token: string, paths: readonly string[]) =>
  Promise.all(paths.map((path) => call(api().url, 'GET', path, { token })));

describe('per-caller rate limit', () => {
  it('answers 429 with Retry-After once a caller has spent its burst, without slowing another caller', async () => {
    // Prepare
    const greedy = await aBuyer(api(), 'greedy');
    const patient = await aBuyer(api(), 'patient');

    // Act
    const replies = await burst(greedy.token, Array(10).fill('/locations'));
    const other = await call(api().url, 'GET', '/locations', { token: patient.token });

    // Assess
    const served = replies.filter((r) => r.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(3);
    expect(served).toBeLessThanOrEqual(4);
    const limited = replies.filter((r) => r.status !== 200);
    for (const reply of limited) {
      expectProblem(reply, 'rate-limited');
      expect(Number(reply.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(reply.body.retryAfterSeconds).toBe(Number(reply.headers.get('retry-after')));
    }
    expect(other.status).toBe(200);
  });

  it('counts a caller across routes: the limit is per caller, not per route', async () => {
    // Prepare
    const buyer = await aBuyer(api());
    const paths = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? '/locations' : `/skus/SKU-${i}/availability`,
    );

    // Act
    const replies = await burst(buyer.token, paths);

    // Assess: at most one burst (and one refill) over both routes, so both routes saw refusals
    expect(replies.filter((r) => r.status === 200).length).toBeLessThanOrEqual(4);
    const limitedRoutes = replies
      .filter((r) => r.status === 429)
      .map((r) => (String(r.body.instance) === '/locations' ? 'locations' : 'availability'));
    expect(new Set(limitedRoutes)).toEqual(new Set(['locations', 'availability']));
  });
});
