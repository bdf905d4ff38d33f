import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpProblem } from './problem.js';
import { PROBLEM_TYPES, problemTypeUri } from './problem-types.js';

/** What a handler returns: the status and JSON body, extra headers, and whether it replays an earlier result. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly replayed?: boolean;
}

export const ok = (body: unknown, replayed = false): RouteResult => ({ status: 200, body, replayed });

export const created = (body: unknown, location: string, replayed = false): RouteResult => ({
  status: 201,
  body,
  headers: { location },
  replayed,
});

const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

export function jsonResponse(result: RouteResult): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: result.status,
    headers: {
      ...COMMON_HEADERS,
      ...result.headers,
      'content-type': 'application/json',
      ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
    },
    body: JSON.stringify(result.body),
  };
}

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** An RFC 9457 body: the standard members first; an extension never overrides one of them. */
export function problemResponse(problem: HttpProblem, instance: string): APIGatewayProxyStructuredResultV2 {
  const body = {
    type: problemTypeUri(problem.code),
    title: PROBLEM_TYPES[problem.code].title,
    status: problem.status,
    detail: problem.detail,
    instance,
    ...Object.fromEntries(Object.entries(problem.extensions).filter(([name]) => !STANDARD_MEMBERS.has(name))),
  };
  return {
    statusCode: problem.status,
    headers: {
      ...COMMON_HEADERS,
      ...problem.headers,
      ...(problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      'content-type': 'application/problem+json',
    },
    body: JSON.stringify(body),
  };
}
