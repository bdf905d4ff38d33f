/**
 * The lost-answer harness: a store that answers late. The DynamoDB call completes (a write commits), then its
 * answer is held back until the call's abort signal fires, as a slow network would, and is then lost the way the
 * HTTP handler loses it (an AbortError). The handlers run in the test's process and share one DynamoDB client
 * (`coldStart().client`), so the fault is injected into theirs; `call` runs a handler with a short Lambda context
 * so that the deadline comes soon.
 */

import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { gatewayClaims } from '../../infra/local/gateway-claims.js';
import { loadFunction, localLambdaContext } from '../../infra/local/lambda-context.js';
import type { Role } from '../../shared/platform/http/caller.js';
import type { ApiEvent, ApiResult } from '../../shared/platform/http/request-state.js';

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;
/** A handler's answer, its body parsed. */
export type Result = { statusCode: number; headers: Record<string, string>; body: Record<string, unknown> };

/**
 * The Lambda's time for a request in these tests: short, so that an answer held back meets the deadline soon
 * (the SDK aborts after 4 s: time enough for a loaded machine to reach the write first).
 */
export const SHORT_LAMBDA_MS = 5_000;

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('Request aborted', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

/** Holds back the answer of the next `commandName` call (after DynamoDB has applied it) until its signal aborts. */
export function answerLateOnce(
  client: DynamoDBDocumentClient,
  commandName: string,
): { delayed: () => number } {
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

/** Calls the Lambda handler of `file` with an API Gateway event for `request`, as `caller`, with `lambdaMs` to run. */
export async function call(
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
