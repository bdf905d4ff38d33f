import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { gatewayClaims } from '../../infra/local/gateway-claims.js';
import { loadFunction, localLambdaContext } from '../../infra/local/lambda-context.js';
import type { Role } from '../../shared/platform/http/caller.js';
import { PROBLEM_BASE_URI } from '../../shared/platform/http/problem-types.js';
import type { ApiEvent, ApiResult } from '../../shared/platform/http/request-state.js';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { useTestApi } from '../api/support/api.js';
import { aNewLocation } from '../api/support/world.js';
import { aKey, aPrincipal, aSku } from '../support/fixtures.js';

/**
 * A batch whose store answer is lost (the harness of test/api/unknown-outcomes.test.ts: the write commits, its
 * answer is held back until the call's abort signal fires): the batch answers 503 outcome-unknown, and the same
 * batch sent again applies each row once.
 */
const api = useTestApi();

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;
type Result = { statusCode: number; headers: Record<string, string>; body: Record<string, unknown> };

/**
 * The Lambda's time for a request in these tests: short, so that an answer held back meets the deadline soon
 * (the SDK aborts after 4 s: time enough for a loaded machine to reach the write first).
 */
const SHORT_LAMBDA_MS = 5_000;

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('Request aborted', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

/** Holds back the answer of the next `commandName` call (after DynamoDB has applied it) until its signal aborts. */
function answerLateOnce(client: DynamoDBDocumentClient, commandName: string): { delayed: () => number } {
  let delayed = 0;
  const name = `answerLate-${randomUUID()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName !== commandName || delayed > 0) return result;
      delayed++;
      client.middlewareStack.remove(name);
      const signal = (context as { __smithy_context?: { abortSignal?: AbortSignal } }).__smithy_context
        ?.abortSignal;
      await new Promise((_, reject) => {
        const lose = () => reject(abortError(signal));
        // Without a signal nothing would ever end the wait: lose the answer well after the Lambda's deadline.
        if (!signal) setTimeout(lose, SHORT_LAMBDA_MS * 3);
        else if (signal.aborted) lose();
        else signal.addEventListener('abort', lose, { once: true });
      });
      return result;
    },
    { step: 'build', name },
  );
  return { delayed: () => delayed };
}

async function call(
  file: string,
  request: {
    routeKey: string;
    path: string;
    pathParameters?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    caller: { sub: string; roles: readonly Role[]; locations?: readonly string[] };
  },
  lambdaMs = SHORT_LAMBDA_MS,
): Promise<Result> {
  const handler = await loadFunction<ApiEvent, ApiResult>(file);
  const requestId = randomUUID();
  const event = {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.path,
    rawQueryString: '',
    headers: {
      ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...request.headers,
    },
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.routeKey.split(' ')[0] ?? 'GET',
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId,
      routeKey: request.routeKey,
      stage: '$default',
      time: '',
      timeEpoch: Date.now(),
      authorizer: { jwt: { claims: gatewayClaims(request.caller), scopes: null } },
    },
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    isBase64Encoded: false,
  } as unknown as ApiEvent;
  const result = (await (handler as Handler)(event, localLambdaContext('test', requestId, lambdaMs))) as {
    statusCode?: number;
    headers?: Record<string, unknown>;
    body?: string;
  };
  return {
    statusCode: result.statusCode ?? 0,
    headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)])),
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}

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
