import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/platform/http/caller.js';
import { PROBLEM_BASE_URI } from '../../shared/platform/http/problem-types.js';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { useTestApi } from '../api/support/api.js';
import { aNewLocation } from '../api/support/world.js';
import { aKey, aPrincipal, aSku } from '../support/fixtures.js';
import { answerLateOnce, call, SHORT_LAMBDA_MS } from '../support/lost-answers.js';

/**
 * A batch whose store answer is lost (the harness of test/support/lost-answers.ts: the write commits, its answer
 * is held back until the call's abort signal fires): the batch answers 503 outcome-unknown, and the same
 * batch sent again applies each row once.
 */
const api = useTestApi();

const batch = (
  caller: { sub: string; roles: readonly Role[]; locations?: readonly string[] },
  body: unknown,
  lambdaMs = SHORT_LAMBDA_MS,
) =>
  call(
    'functions/apply-stock-batch.ts',
    { routeKey: 'POST /stock/batch', path: '/stock/batch', body, caller },
    lambdaMs,
  );

describe('a batch whose answer is lost', () => {
  it('answers 503 outcome-unknown, safe to repeat when every row has a key, and the repeat applies each row once', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = { sub: aPrincipal('clerk'), roles: ['warehouse'] as const, locations: [locationId] };
    const rows = [aSku(), aSku()].map((sku) => ({
      op: 'receipt',
      sku,
      locationId,
      quantity: 3,
      idempotencyKey: aKey(),
    }));
    const late = answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');

    // Act
    const first = await batch(clerk, { policy: 'all-or-nothing', rows });
    const repeat = await batch(clerk, { policy: 'all-or-nothing', rows }, 10_000);

    // Assess
    expect(late.delayed()).toBe(1);
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body).toMatchObject({ type: `${PROBLEM_BASE_URI}outcome-unknown`, safeToRepeat: true });
    expect(repeat.statusCode).toBe(200);
    const statuses = (repeat.body.results as { status: string }[]).map((r) => r.status);
    expect(statuses).toEqual(['replayed', 'replayed']);
    for (const row of rows) {
      expect(await api().deps.levels.getLevel(row.sku, locationId)).toMatchObject({ onHand: 3, version: 1 });
    }
  });

  it('says a repeat is not safe when a row has no key', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = { sub: aPrincipal('clerk'), roles: ['warehouse'] as const, locations: [locationId] };
    const rows = [{ op: 'receipt', sku: aSku(), locationId, quantity: 3 }];
    answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');

    // Act
    const answer = await batch(clerk, { policy: 'skip-failed-rows', rows });

    // Assess
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toMatchObject({ type: `${PROBLEM_BASE_URI}outcome-unknown`, safeToRepeat: false });
  });
});
