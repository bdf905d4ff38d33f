import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpProblem, validationProblem } from '../../shared/platform/http/problem.js';
import type { ApiResult } from '../../shared/platform/http/request-state.js';
import { problemResponse } from '../../shared/platform/http/responses.js';
import type { RouteDefinition } from '../../shared/platform/http/route.js';
import type { DevSigningKey } from './dev-keys.js';
import { gatewayEvent, lambdaContext } from './gateway-event.js';
import { type LocalHandler, loadHandlers } from './handler-modules.js';
import { verifyBearer } from './local-authorizer.js';
import type { LocalService } from './local-service.js';
import { RouteMatcher } from './route-matcher.js';

/** API Gateway's own limit on a request body (HTTP APIs): larger requests never reach a function. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * A route the local runtime serves beside the route table's, and that never deploys (a developer's tool such as
 * `GET /events`). The local authorizer verifies its bearer token like any other; `handle` gets the token's
 * claims as the gateway would pass them, and answers or throws an HttpProblem.
 */
export interface LocalOnlyRoute {
  readonly method: 'GET';
  /** An exact path, without parameters. */
  readonly path: string;
  handle(request: {
    readonly query: URLSearchParams;
    readonly claims: Readonly<Record<string, string>>;
  }): ApiResult | Promise<ApiResult>;
}

/**
 * Static pages served beside the API without a token (the operator console under `/console/`): every path equal
 * to `prefix` or under `prefix/` goes to `serve`.
 */
export interface LocalSite {
  readonly prefix: string;
  serve(request: IncomingMessage, url: URL): ApiResult | Promise<ApiResult>;
}

export interface LocalHttpApiOptions {
  readonly routes: readonly RouteDefinition[];
  /** Static sites (matched before any route). */
  readonly sites?: readonly LocalSite[];
  /** Local-only routes (matched first, by exact path). */
  readonly localRoutes?: readonly LocalOnlyRoute[];
  readonly signingKey: DevSigningKey;
  readonly port: number;
  readonly host: string;
}

class TooLarge extends Error {}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > GATEWAY_MAX_BODY_BYTES) {
        reject(new TooLarge());
        request.resume();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function decodeParameters(raw: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      throw validationProblem([{ in: 'path', field: name, detail: 'is not a valid URL-encoded value' }]);
    }
  }
  return decoded;
}

function send(response: ServerResponse, result: ApiResult | string): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const body = result.body ?? '';
  response
    .writeHead(result.statusCode ?? 200, headers)
    .end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * The HTTP API on a laptop: routes requests by the route table, plays the JWT authorizer, and invokes each
 * route's Lambda handler in process with the payload 2.0 event API Gateway would send.
 */
export class LocalHttpApi implements LocalService {
  readonly name = 'http-api';
  private server: Server | null = null;
  private handlers = new Map<string, LocalHandler>();
  private readonly matcher: RouteMatcher;
  private boundPort = 0;

  constructor(private readonly options: LocalHttpApiOptions) {
    this.matcher = new RouteMatcher(options.routes);
  }

  get url(): string {
    return `http://${this.options.host === '0.0.0.0' ? 'localhost' : this.options.host}:${this.boundPort}`;
  }

  async start(): Promise<void> {
    this.handlers = await loadHandlers(this.options.routes);
    const server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        console.error('local http api: failed to answer', error);
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      send(response, await this.dispatch(request, url));
    } catch (error) {
      if (error instanceof HttpProblem) send(response, problemResponse(error, url.pathname));
      else if (error instanceof TooLarge)
        send(
          response,
          problemResponse(
            new HttpProblem('payload-too-large', 'the request body exceeds 10 MiB'),
            url.pathname,
          ),
        );
      else {
        console.error('local http api: handler failed', error);
        send(
          response,
          problemResponse(new HttpProblem('internal', 'an unexpected error occurred'), url.pathname),
        );
      }
    }
  }

  private async dispatch(request: IncomingMessage, url: URL): Promise<ApiResult | string> {
    const site = (this.options.sites ?? []).find(
      (s) => url.pathname === s.prefix || url.pathname.startsWith(`${s.prefix}/`),
    );
    if (site && (request.method === 'GET' || request.method === 'HEAD')) return site.serve(request, url);
    const local = (this.options.localRoutes ?? []).filter((r) => r.path === url.pathname);
    if (local.length > 0) return this.dispatchLocal(request, url, local);
    const match = this.matcher.match(request.method ?? 'GET', url.pathname);
    if (match.kind === 'none') throw new HttpProblem('not-found', `no route for ${url.pathname}`);
    if (match.kind === 'wrong-method') {
      throw new HttpProblem(
        'method-not-allowed',
        `${request.method} is not allowed here`,
        {},
        {
          allow: match.allowed.join(', '),
        },
      );
    }
    const { route } = match;
    const pathParameters = decodeParameters(match.rawParameters);
    const body = await readBody(request);
    const token =
      route.auth === 'jwt'
        ? await verifyBearer(this.options.signingKey, request.headers.authorization)
        : null;
    if (route.auth === 'jwt' && !token)
      throw new HttpProblem('unauthorized', 'a valid bearer token is required');
    const handler = this.handlers.get(route.operationId);
    if (!handler) throw new Error(`no handler loaded for ${route.operationId}`);
    const event = gatewayEvent({ request, url, route, pathParameters, body, token });
    return handler(event, lambdaContext(route, event.requestContext.requestId));
  }

  private async dispatchLocal(
    request: IncomingMessage,
    url: URL,
    candidates: readonly LocalOnlyRoute[],
  ): Promise<ApiResult> {
    const route = candidates.find((r) => r.method === request.method);
    if (!route) {
      throw new HttpProblem(
        'method-not-allowed',
        `${request.method} is not allowed here`,
        {},
        { allow: candidates.map((r) => r.method).join(', ') },
      );
    }
    await readBody(request);
    const token = await verifyBearer(this.options.signingKey, request.headers.authorization);
    if (!token) throw new HttpProblem('unauthorized', 'a valid bearer token is required');
    return route.handle({ query: url.searchParams, claims: token.claims });
  }
}
