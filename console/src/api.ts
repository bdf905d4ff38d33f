import type { Problem } from './problems.js';

export type ApiAnswer<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly problem: Problem };

export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | number | undefined | null>): Promise<ApiAnswer<T>>;
  send<T>(
    method: 'POST' | 'PATCH',
    path: string,
    body?: unknown,
    options?: { idempotent?: boolean },
  ): Promise<ApiAnswer<T>>;
}

const enc = encodeURIComponent;
/** A path from literal parts and values, each value URL-encoded. */
export const path = (parts: TemplateStringsArray, ...values: (string | number)[]) =>
  parts.reduce((out, part, i) => out + part + (i < values.length ? enc(String(values[i])) : ''), '');

function newKey(): string {
  return `console-${crypto.randomUUID()}`;
}

/**
 * The API over fetch, with the caller's bearer token. Every answer is data or a problem: a network failure becomes
 * a `network` problem, an answer that is not a problem body becomes one naming its status. Stock changes carry an
 * `Idempotency-Key`, so that pressing again after a lost answer does not apply a change twice.
 */
export function apiClient(
  baseUrl: string,
  token: () => string | null,
  onUnauthorized: () => void,
): ApiClient {
  async function call<T>(
    method: string,
    target: string,
    body?: unknown,
    idempotent = false,
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = {};
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotent) headers['idempotency-key'] = newKey();
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${target}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      return { ok: false, status: 0, problem: { type: 'network', title: 'Network failure', status: 0 } };
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (response.ok) return { ok: true, status: response.status, data: parsed as T };
    if (response.status === 401) onUnauthorized();
    const problem =
      parsed && typeof parsed === 'object' && 'type' in parsed
        ? (parsed as Problem)
        : {
            type: response.status === 404 ? 'https://inventory.dev/problems/not-found' : 'http',
            title: `The service answered ${response.status}`,
            status: response.status,
            // Not a problem body: API Gateway's own answer (an unknown route is its bare 404).
            gateway: true,
          };
    return { ok: false, status: response.status, problem };
  }
  return {
    get(target, query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {}))
        if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
      const qs = params.toString();
      return call('GET', qs ? `${target}?${qs}` : target);
    },
    send(method, target, body, options) {
      return call(method, target, body, options?.idempotent ?? false);
    },
  };
}

/** A route that is not on this server (yet): the page says so instead of failing. */
export const isMissingRoute = (answer: ApiAnswer<unknown>) =>
  !answer.ok &&
  (answer.status === 404 || answer.status === 405) &&
  (answer.problem.gateway === true ||
    (typeof answer.problem.detail === 'string' &&
      /^no route for|is not allowed here/.test(answer.problem.detail)));
