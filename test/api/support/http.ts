import { expect } from 'vitest';
import {
  PROBLEM_TYPES,
  type ProblemCode,
  problemTypeUri,
} from '../../../shared/platform/http/problem-types.js';
import { problemSchema } from '../../../shared/platform/http/schemas/problem.js';

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined when it is not JSON). */
  readonly body: Record<string, unknown>;
}

export interface CallOptions {
  readonly token?: string;
  /** Sent as JSON with `content-type: application/json`. */
  readonly json?: unknown;
  /** Sent as is (with the headers given). */
  readonly raw?: string | Uint8Array;
  readonly headers?: Record<string, string>;
}

/** One real HTTP request to the API. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.raw;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the assertions on `text` say so
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Asserts an RFC 9457 problem of the given type: its status, content type and standard members. */
export function expectProblem(reply: Reply, code: ProblemCode): void {
  expect(reply.headers.get('content-type'), reply.text).toBe('application/problem+json');
  expect(reply.body, reply.text).toMatchObject({
    type: problemTypeUri(code),
    title: PROBLEM_TYPES[code].title,
    status: PROBLEM_TYPES[code].status,
  });
  expect(reply.status, reply.text).toBe(PROBLEM_TYPES[code].status);
  expect(problemSchema.safeParse(reply.body).success, reply.text).toBe(true);
  expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
}

/** Asserts a 4xx problem of any type: the shape every refused request must have. */
export function expectClientProblem(reply: Reply): void {
  expect(reply.status, reply.text).toBeGreaterThanOrEqual(400);
  expect(reply.status, reply.text).toBeLessThan(500);
  expect(reply.headers.get('content-type'), reply.text).toBe('application/problem+json');
  expect(reply.body.status, reply.text).toBe(reply.status);
  expect(String(reply.body.type)).toMatch(/^https:\/\/inventory\.dev\/problems\/[a-z-]+$/);
  expect(problemSchema.safeParse(reply.body).success, reply.text).toBe(true);
}
