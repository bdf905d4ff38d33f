import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { ApiResult } from '../../shared/platform/http/request-state.js';
import { CONSOLE_FILES } from '../console/build.js';
import type { LocalSite } from './http-api.js';

export interface ConsoleSiteOptions {
  /** The built console (infra/console/build.ts). */
  readonly dir: string;
  /** The demo roles and their tokens, offered at sign-in to a browser on this machine only. */
  readonly demoCallers: readonly { readonly label: string; readonly token: string }[];
  /** The live feed's WebSocket URL, or null while the runtime has none (asked at each request: it is known once the runtime listens). */
  readonly liveUrl?: () => string | null;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
};

/** The headers the Console stack's CloudFront response headers policy sets, the same here. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The operator console under `/console/` on the API's port: its built files, and a `config.json` saying the API is
 * this origin and offering the demo roles' tokens, but only to a browser on this machine (with HOST=0.0.0.0 the
 * API is reachable from the network; the tokens are not handed out there: paste one instead).
 */
export function consoleSite(options: ConsoleSiteOptions): LocalSite {
  const files = new Map<string, Buffer>(CONSOLE_FILES.map((f) => [f, readFileSync(join(options.dir, f))]));
  return {
    prefix: '/console',
    serve(request: IncomingMessage, url: URL): ApiResult {
      if (url.pathname === '/console')
        return { statusCode: 308, headers: { location: '/console/' }, body: '' };
      const name = url.pathname.slice('/console/'.length) || 'index.html';
      if (name === 'config.json') {
        const local = LOOPBACK.has(request.socket.remoteAddress ?? '');
        return respond(
          'json',
          JSON.stringify({
            apiUrl: '',
            liveUrl: options.liveUrl?.() ?? null,
            auth: { kind: 'token', demoCallers: local ? options.demoCallers : null },
          }),
        );
      }
      const file = files.get(name);
      if (!file) return { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' };
      return respond(name.split('.').pop() ?? '', file.toString('utf8'));
    },
  };
}

function respond(extension: string, body: string): ApiResult {
  return {
    statusCode: 200,
    headers: { 'content-type': TYPES[extension] ?? 'application/octet-stream', ...SECURITY_HEADERS },
    body,
  };
}

/** How the sign-in page names a demo caller: its subject, roles and locations. */
export function demoCallerLabel(claims: {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly locations?: readonly string[];
}): string {
  const at = claims.locations?.length ? ` at ${claims.locations.join(', ')}` : '';
  return `${claims.sub}: ${claims.roles.join(', ')}${at}`;
}
