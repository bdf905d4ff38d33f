import { createHash } from 'node:crypto';
import type { ApiEvent, ApiResult } from './request-state.js';
import { DEFAULT_CACHE_CONTROL, type RouteDefinition } from './route.js';

/** A strong validator of a body: its SHA-256, base64url, quoted (the same body always gets the same ETag). */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

/** Whether an `If-None-Match` value names this ETag (weak comparison, as RFC 9110 asks for this header), or is `*`. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * A successful GET answer with its validators: `ETag`, the route's `Cache-Control`, and `Vary: Authorization`
 * (what a caller sees depends on who it is). A request whose `If-None-Match` matches is answered 304, no body.
 * Anything else (other methods, problems) is left as it is: `no-store`.
 */
export function withValidators(route: RouteDefinition, event: ApiEvent, response: ApiResult): ApiResult {
  if (route.method !== 'GET' || response.statusCode !== 200 || typeof response.body !== 'string')
    return response;
  const etag = etagOf(response.body);
  const headers: Record<string, string | number | boolean> = {
    ...response.headers,
    etag,
    'cache-control': route.cacheControl ?? DEFAULT_CACHE_CONTROL,
    vary: 'authorization',
  };
  if (noneMatchHits(headerOf(event, 'if-none-match'), etag)) {
    const { 'content-type': _body, ...rest } = headers;
    return { statusCode: 304, headers: rest, body: '' };
  }
  return { ...response, headers };
}

function headerOf(event: ApiEvent, name: string): string | undefined {
  const headers = (event as { headers?: Record<string, string | undefined> }).headers ?? {};
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}
