import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ApiEvent } from '../../shared/platform/http/request-state.js';
import { DEFAULT_ROUTE_TIMEOUT_SECONDS, type RouteDefinition } from '../../shared/platform/http/route.js';
import { localLambdaContext } from './lambda-context.js';
import type { VerifiedToken } from './local-authorizer.js';

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript)|application\/[a-z0-9.+-]+\+(json|xml))/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as API Gateway passes it: text types as text, anything else (or invalid UTF-8) base64-encoded. */
function eventBody(
  raw: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (raw.byteLength === 0) return { isBase64Encoded: false };
  if (contentType && TEXT_TYPES.test(contentType)) {
    try {
      return { body: utf8.decode(raw), isBase64Encoded: false };
    } catch {
      // not text after all
    }
  }
  return { body: raw.toString('base64'), isBase64Encoded: true };
}

function gatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * What the event takes from the HTTP request: a node `IncomingMessage` has all of it, and the benchmark's handler
 * host (bench/handler-host.ts) builds one without a server.
 */
export type GatewayRequest = Pick<
  IncomingMessage,
  'method' | 'httpVersion' | 'headers' | 'headersDistinct'
> & {
  readonly socket: { readonly remoteAddress?: string | undefined };
};

export interface EventParts {
  readonly request: GatewayRequest;
  readonly url: URL;
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
  readonly body: Buffer;
  readonly token: VerifiedToken | null;
}

/** The HTTP API payload 2.0 event API Gateway would send the route's Lambda function. */
export function gatewayEvent({ request, url, route, pathParameters, body, token }: EventParts): ApiEvent {
  const event = unauthorizedEvent(request, url, route, pathParameters, body);
  if (!token) {
    // A public route has no authorizer, as on API Gateway; no handler of a public route reads it.
    return event as ApiEvent;
  }
  return {
    ...event,
    requestContext: {
      ...event.requestContext,
      authorizer: { jwt: { claims: token.claims, scopes: token.scopes } },
    },
  };
}

function unauthorizedEvent(
  request: GatewayRequest,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values && name !== 'cookie') headers[name] = values.join(',');
  }
  const query = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) query.set(name, [...(query.get(name) ?? []), value]);
  const cookies = request.headers.cookie?.split(';').map((c) => c.trim());
  const now = new Date();
  const method = request.method ?? 'GET';
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(query.size
      ? { queryStringParameters: Object.fromEntries([...query].map(([k, v]) => [k, v.join(',')])) }
      : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.hostname,
      domainPrefix: url.hostname.split('.')[0] ?? url.hostname,
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...eventBody(body, request.headers['content-type']),
  };
}

/** A Lambda context for an in-process invocation, with API Gateway's 30 s integration timeout. */
export function lambdaContext(route: RouteDefinition, requestId: string): Context {
  return localLambdaContext(
    route.operationId,
    requestId,
    (route.timeoutSeconds ?? DEFAULT_ROUTE_TIMEOUT_SECONDS) * 1000,
  );
}
