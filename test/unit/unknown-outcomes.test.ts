import { afterEach, describe, expect, it, vi } from 'vitest';
import { reserveStock } from '../../shared/holds/http/routes.js';
import { OutcomeUnknownError, StoreUnavailableError } from '../../shared/kernel/errors.js';
import { problemFromDomainError } from '../../shared/platform/http/domain-problems.js';
import { openApiDocument } from '../../shared/platform/http/openapi.js';
import { OUTCOME_HINTS, outcomeUnknownProblem } from '../../shared/platform/http/outcome-hints.js';
import { problemTypeUri } from '../../shared/platform/http/problem-types.js';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';
import { explainCallFailure } from '../../shared/platform/store/failure-mapping.js';
import {
  AnswerDeadlineReached,
  currentDeadline,
  withDeadline,
} from '../../shared/platform/store/request-deadline.js';
import { transferStock } from '../../shared/stock/http/routes.js';

/** An error shaped like the SDK's: a name and, for a service answer, the HTTP status in `$metadata`. */
function sdkError(name: string, httpStatusCode?: number, attempts = 1): Error {
  const error = new Error(name) as Error & { $metadata: object };
  error.name = name;
  error.$metadata = { ...(httpStatusCode ? { httpStatusCode } : {}), attempts };
  return error;
}

describe('what a failed DynamoDB call means for its request', () => {
  it.each([
    ['AbortError', undefined],
    ['TimeoutError', undefined],
    ['Error', undefined],
    ['InternalServerError', 500],
    ['ServiceUnavailable', 503],
    ['TransactionInProgressException', 400],
  ])('leaves a write whose answer was lost (%s) with an unknown outcome', (name, status) => {
    expect(explainCallFailure('write', sdkError(name, status), false)).toBeInstanceOf(OutcomeUnknownError);
  });

  it.each([
    ['AbortError', undefined],
    ['InternalServerError', 500],
    ['ThrottlingException', 400],
  ])('answers a lost or throttled read (%s) as the store being unavailable', (name, status) => {
    expect(explainCallFailure('read', sdkError(name, status), false)).toBeInstanceOf(StoreUnavailableError);
  });

  it('answers a lost read after a write that may have been applied as an unknown outcome', () => {
    expect(explainCallFailure('read', sdkError('AbortError'), true)).toBeInstanceOf(OutcomeUnknownError);
  });

  it('answers a write throttled on its only attempt as the store being unavailable (nothing was applied)', () => {
    expect(
      explainCallFailure('write', sdkError('ProvisionedThroughputExceededException', 400), false),
    ).toBeInstanceOf(StoreUnavailableError);
  });

  it('answers a write throttled after earlier attempts as an unknown outcome', () => {
    expect(explainCallFailure('write', sdkError('ThrottlingException', 400, 3), false)).toBeInstanceOf(
      OutcomeUnknownError,
    );
  });

  it.each([
    'ConditionalCheckFailedException',
    'TransactionCanceledException',
  ])('leaves a refusal by a condition (%s) to the store', (name) => {
    expect(explainCallFailure('write', sdkError(name, 400), true)).toBeNull();
  });

  it('leaves a malformed call (a defect) as it is when nothing may have been written', () => {
    expect(explainCallFailure('write', sdkError('ValidationException', 400), false)).toBeNull();
  });
});

describe('how a client learns an unknown outcome', () => {
  it('answers a store that did not answer before anything was written 503 service-busy with Retry-After', () => {
    const problem = problemFromDomainError(new StoreUnavailableError(), () => 'body');

    expect(problem).toMatchObject({ status: 503, code: 'service-busy', headers: { 'retry-after': '1' } });
  });

  it('answers an unknown outcome with no route to hint at 503 outcome-unknown with Retry-After', () => {
    const problem = problemFromDomainError(new OutcomeUnknownError(), () => 'body');

    expect(problem).toMatchObject({ status: 503, code: 'outcome-unknown', headers: { 'retry-after': '1' } });
  });

  it('has a hint for every route that writes', () => {
    const writers = ROUTE_TABLE.filter((r) => r.tableAccess === 'read-write').map((r) => r.operationId);
    expect(writers.filter((id) => !(id in OUTCOME_HINTS))).toEqual([]);
  });

  it('lists a 503 with Retry-After on every route that reads the table, naming outcome-unknown where it writes', () => {
    const paths = openApiDocument().paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    for (const route of ROUTE_TABLE.filter((r) => r.tableAccess !== 'none')) {
      const busy = paths[route.path]?.[route.method.toLowerCase()]?.responses['503'] as
        | { description: string; headers: Record<string, unknown> }
        | undefined;
      expect(busy?.headers, route.operationId).toHaveProperty('Retry-After');
      expect(busy?.description.includes(problemTypeUri('outcome-unknown')), route.operationId).toBe(
        route.tableAccess === 'read-write',
      );
    }
  });

  it('tells a keyed reserve to repeat with the same key and names the reservation it lands on', () => {
    const problem = outcomeUnknownProblem(
      reserveStock,
      { body: { sku: 'SKU-1', locationId: 'WH-1', quantity: 1 }, idempotencyKey: 'key-1' },
      new OutcomeUnknownError({ reservationId: '01RESERVATION' }),
    );

    expect(problem.status).toBe(503);
    expect(problem.code).toBe('outcome-unknown');
    expect(problem.headers).toEqual({ 'retry-after': '1' });
    expect(problem.extensions).toEqual({
      reservationId: '01RESERVATION',
      retryAfterSeconds: 1,
      safeToRepeat: true,
      checkAt: '/reservations/01RESERVATION',
      idempotencyKey: 'key-1',
    });
    expect(problem.detail).toContain('same Idempotency-Key');
  });

  it('points an unkeyed transfer at the movements of the level it takes from, and says a repeat is unsafe', () => {
    const problem = outcomeUnknownProblem(
      transferStock,
      { path: { sku: 'SKU-1' }, body: { from: 'WH-A', to: 'WH-B', quantity: 2 }, idempotencyKey: null },
      new OutcomeUnknownError(),
    );

    expect(problem.extensions).toMatchObject({
      safeToRepeat: false,
      checkAt: '/skus/SKU-1/locations/WH-A/movements?order=desc',
    });
    expect(problem.extensions).not.toHaveProperty('idempotencyKey');
  });
});

describe('the deadline of a request', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts the calls of the request before the answer deadline, then gives up on the work', async () => {
    // Prepare
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const work = withDeadline(3_000, () => {
      signal = currentDeadline()?.signal;
      return new Promise<never>(() => {});
    });
    const outcome = work.catch((e: unknown) => e);

    // Act
    await vi.advanceTimersByTimeAsync(2_000);
    const abortedAtSdkMargin = signal?.aborted;
    await vi.advanceTimersByTimeAsync(500);

    // Assess
    expect(abortedAtSdkMargin).toBe(true);
    const error = await outcome;
    expect(error).toBeInstanceOf(AnswerDeadlineReached);
    expect((error as AnswerDeadlineReached).mayHaveWritten).toBe(false);
  });

  it('says a write may have been applied when one is still in flight at the answer deadline', async () => {
    // Prepare
    vi.useFakeTimers();
    const outcome = withDeadline(3_000, () => {
      currentDeadline()?.writeSent();
      return new Promise<never>(() => {});
    }).catch((e: unknown) => e);

    // Act
    await vi.advanceTimersByTimeAsync(2_500);

    // Assess
    const error = await outcome;
    expect(error).toBeInstanceOf(AnswerDeadlineReached);
    expect((error as AnswerDeadlineReached).mayHaveWritten).toBe(true);
  });

  it('forgets a write refused for sure, and remembers one whose failure leaves the outcome unknown', async () => {
    const seen = await withDeadline(3_000, async () => {
      const deadline = currentDeadline();
      deadline?.writeSent()(false);
      const refused = deadline?.mayHaveWritten();
      const lost = deadline?.writeSent();
      lost?.(false);
      lost?.(true);
      return { refused, lost: deadline?.mayHaveWritten() };
    });

    expect(seen).toEqual({ refused: false, lost: true });
  });

  it('lets a request have many SDK calls in flight on its signal without a listener-leak warning', async () => {
    // Prepare
    const warnings: Error[] = [];
    const collect = (warning: Error) => warnings.push(warning);
    process.on('warning', collect);

    // Act: 20 calls in flight, each listening for the abort as the SDK's HTTP handler does
    await withDeadline(3_000, async () => {
      const signal = currentDeadline()?.signal;
      for (let call = 0; call < 20; call++) signal?.addEventListener('abort', () => {}, { once: true });
      await new Promise((resolve) => setImmediate(resolve));
    });
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', collect);

    // Assess
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('has no deadline outside a request', () => {
    expect(currentDeadline()).toBeUndefined();
  });
});
