import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { type WebSocket, WebSocketServer } from 'ws';
import { EVENT_RULES } from '../../shared/events/rules.js';
import { LIVE_MANAGEMENT_ENDPOINT } from '../../shared/live/live-runtime.js';
import { DEV_AUDIENCE, DEV_ISSUER, type DevSigningKey } from './dev-keys.js';
import { devJwks } from './dev-tokens.js';
import type { LocalEventBus } from './event-bus.js';
import { loadFunction, localLambdaContext } from './lambda-context.js';
import type { LocalService } from './local-service.js';

/** The WebSocket API's stage, locally (the `@connections` path starts with it). */
export const LOCAL_LIVE_STAGE = 'live';

/** The functions the WebSocket API runs, as the stack deploys them (infra/stacks/live-stack.ts). */
export const LIVE_FUNCTIONS = {
  authorizer: 'functions/live-authorizer.ts',
  connect: 'functions/live-connect.ts',
  disconnect: 'functions/live-disconnect.ts',
  message: 'functions/live-message.ts',
  fanOut: 'functions/live-fan-out.ts',
} as const;

/** The routes of the WebSocket API besides $connect and $disconnect (route selection: `$request.body.action`). */
export const LIVE_ROUTES = ['subscribe', 'unsubscribe', 'ping'] as const;

export interface LocalLiveApiOptions {
  readonly port: number;
  readonly host: string;
  readonly signingKey: DevSigningKey;
  /** The bus the fan-out function's rule is added to (the event pipeline's), or null without events. */
  readonly bus: () => LocalEventBus | null;
  /** API Gateway's idle timeout (10 minutes) and connection limit (2 hours); tests may shorten them. */
  readonly idleTimeoutMs?: number;
  readonly maxConnectionMs?: number;
}

type Handler<E = unknown, R = unknown> = (
  event: E,
  context: ReturnType<typeof localLambdaContext>,
) => Promise<R>;

interface Connection {
  readonly socket: WebSocket;
  readonly connectedAt: number;
  readonly authorizer: Record<string, unknown>;
  readonly sourceIp: string;
  lastActiveAt: number;
  timers: NodeJS.Timeout[];
}

/** An id shaped like API Gateway's (12 base64 characters ending in `=`). */
const connectionIdOf = () => `${randomBytes(9).toString('base64').slice(0, 11)}=`;

function gone(response: ServerResponse): void {
  response
    .writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' })
    .end(JSON.stringify({ __type: 'GoneException', message: 'the connection is gone' }));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * API Gateway's WebSocket API on a laptop, running the stack's functions in process: the authorizer on
 * `$connect` (the `token` query parameter, verified against the local development key's JWKS, which this server
 * also publishes at `/.well-known/jwks.json`), `$connect`, `$disconnect`, the message routes selected by
 * `action`, and the `@connections` management API (`POST|GET|DELETE /{stage}/@connections/{id}`; a closed
 * connection answers 410 GoneException) that the functions post through. It adds the live-stock rule to the
 * local bus, with the fan-out function as its target, as the stack adds it to the inventory bus.
 */
export class LocalLiveApi implements LocalService {
  readonly name = 'live-api';
  private server: Server | null = null;
  private readonly sockets = new WebSocketServer({ noServer: true });
  private readonly connections = new Map<string, Connection>();
  private handlers: {
    authorizer: Handler<unknown, APIGatewayAuthorizerResult>;
    connect: Handler<unknown, { statusCode?: number; body?: string }>;
    disconnect: Handler;
    message: Handler;
    fanOut: Handler;
  } | null = null;
  private boundPort = 0;
  private readonly silent = new Set<string>();

  constructor(private readonly options: LocalLiveApiOptions) {}

  private get origin(): string {
    return `${this.options.host === '0.0.0.0' ? 'localhost' : this.options.host}:${this.boundPort}`;
  }

  /** Where clients connect: `ws://127.0.0.1:{port}` (add `?token=...`). */
  get url(): string {
    return `ws://${this.origin}`;
  }

  /** The `@connections` endpoint the functions post through. */
  get managementEndpoint(): string {
    return `http://${this.origin}/${LOCAL_LIVE_STAGE}`;
  }

  /** The open connections' ids, oldest first. */
  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /**
   * Cuts a connection off without its `$disconnect` (API Gateway delivers `$disconnect` on a best-effort basis):
   * its records stay until a post finds it gone (410).
   */
  dropWithoutDisconnect(connectionId: string): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    this.silent.add(connectionId);
    connection.socket.terminate();
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        console.error('local live api: failed to answer', error);
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
    server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      this.upgrade(request, socket, head).catch((error: unknown) => {
        console.error('local live api: $connect failed', error);
        socket.end('HTTP/1.1 500 Internal Server Error\r\n\r\n');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    // The functions' environment, as the stack sets it, before their cold start.
    Object.assign(process.env, {
      [LIVE_MANAGEMENT_ENDPOINT]: this.managementEndpoint,
      LIVE_JWT_ISSUER: DEV_ISSUER,
      LIVE_JWT_AUDIENCE: DEV_AUDIENCE,
      LIVE_JWKS_URI: `http://${this.origin}/.well-known/jwks.json`,
    });
    this.handlers = {
      authorizer: await loadFunction(LIVE_FUNCTIONS.authorizer),
      connect: await loadFunction(LIVE_FUNCTIONS.connect),
      disconnect: await loadFunction(LIVE_FUNCTIONS.disconnect),
      message: await loadFunction(LIVE_FUNCTIONS.message),
      fanOut: await loadFunction(LIVE_FUNCTIONS.fanOut),
    };
    const fanOut = this.handlers.fanOut;
    this.options.bus()?.addRule({
      name: EVENT_RULES.liveStock.name,
      pattern: EVENT_RULES.liveStock.pattern,
      target: (event) => fanOut(event, localLambdaContext('live-fan-out', randomUUID())),
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const [id, connection] of this.connections) {
      this.silent.add(id);
      connection.socket.terminate();
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // The management API and the JWKS
  // -------------------------------------------------------------------------------------------------------------

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(await devJwks(this.options.signingKey)));
      return;
    }
    const match = new RegExp(`^/${LOCAL_LIVE_STAGE}/@connections/([^/]+)$`).exec(url.pathname);
    if (!match?.[1]) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const connectionId = decodeURIComponent(match[1]);
    const connection = this.connections.get(connectionId);
    const body = await readBody(request);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) return gone(response);
    if (request.method === 'POST') {
      await new Promise<void>((resolve, reject) =>
        connection.socket.send(body.toString('utf8'), (error) => (error ? reject(error) : resolve())),
      );
      response.writeHead(200).end();
    } else if (request.method === 'DELETE') {
      connection.socket.close(1000);
      response.writeHead(204).end();
    } else if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ConnectedAt: new Date(connection.connectedAt).toISOString(),
          LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
          Identity: { SourceIp: connection.sourceIp },
        }),
      );
    } else response.writeHead(405).end();
  }

  // -------------------------------------------------------------------------------------------------------------
  // The WebSocket side: $connect (authorizer first), messages, $disconnect
  // -------------------------------------------------------------------------------------------------------------

  private refuse(socket: Socket, status: number, text: string, body = ''): void {
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  private requestContext(
    connectionId: string,
    routeKey: string,
    eventType: string,
    authorizer: Record<string, unknown>,
  ) {
    return {
      routeKey,
      eventType,
      connectionId,
      authorizer,
      stage: LOCAL_LIVE_STAGE,
      domainName: this.origin,
      apiId: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      connectedAt: this.connections.get(connectionId)?.connectedAt ?? Date.now(),
    };
  }

  private async upgrade(request: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return this.refuse(socket, 503, 'Service Unavailable');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const token = url.searchParams.get('token');
    // The identity source is required: without it API Gateway refuses before calling the authorizer.
    if (!token) return this.refuse(socket, 401, 'Unauthorized', 'a token query parameter is required');
    const connectionId = connectionIdOf();
    let authorization: APIGatewayAuthorizerResult;
    try {
      authorization = await handlers.authorizer(
        {
          type: 'REQUEST',
          methodArn: `arn:aws:execute-api:local:000000000000:local/${LOCAL_LIVE_STAGE}/$connect`,
          headers: request.headers,
          queryStringParameters: Object.fromEntries(url.searchParams),
          requestContext: this.requestContext(connectionId, '$connect', 'CONNECT', {}),
        },
        localLambdaContext('live-authorizer', randomUUID()),
      );
    } catch {
      return this.refuse(socket, 401, 'Unauthorized');
    }
    const allowed = authorization.policyDocument.Statement.some((s) => s.Effect === 'Allow');
    if (!allowed) return this.refuse(socket, 403, 'Forbidden');
    const authorizer = { ...(authorization.context ?? {}), principalId: authorization.principalId };
    const connected = await handlers.connect(
      {
        requestContext: this.requestContext(connectionId, '$connect', 'CONNECT', authorizer),
        isBase64Encoded: false,
      },
      localLambdaContext('live-connect', randomUUID()),
    );
    const status = connected?.statusCode ?? 200;
    if (status < 200 || status > 299)
      return this.refuse(
        socket,
        status,
        status === 429 ? 'Too Many Requests' : 'Refused',
        connected?.body ?? '',
      );
    this.sockets.handleUpgrade(request, socket, head, (ws) =>
      this.accept(connectionId, ws, authorizer, socket),
    );
  }

  private accept(
    connectionId: string,
    ws: WebSocket,
    authorizer: Record<string, unknown>,
    socket: Socket,
  ): void {
    const handlers = this.handlers;
    if (!handlers) return;
    const now = Date.now();
    const connection: Connection = {
      socket: ws,
      connectedAt: now,
      lastActiveAt: now,
      authorizer,
      sourceIp: socket.remoteAddress ?? '127.0.0.1',
      timers: [],
    };
    this.connections.set(connectionId, connection);
    const idle = this.options.idleTimeoutMs ?? 10 * 60_000;
    const armIdle = () => {
      const [previous, ...rest] = connection.timers;
      if (previous) clearTimeout(previous);
      connection.timers = [setTimeout(() => ws.close(1001, 'Going away (idle)'), idle).unref(), ...rest];
    };
    armIdle();
    connection.timers.push(
      setTimeout(
        () => ws.close(1001, 'Going away (2 hours)'),
        this.options.maxConnectionMs ?? 2 * 60 * 60_000,
      ).unref(),
    );
    ws.on('message', (data) => {
      connection.lastActiveAt = Date.now();
      armIdle();
      const body = data.toString();
      let action: unknown;
      try {
        action = (JSON.parse(body) as { action?: unknown })?.action;
      } catch {
        action = undefined;
      }
      const routeKey = (LIVE_ROUTES as readonly unknown[]).includes(action) ? String(action) : '$default';
      handlers
        .message(
          {
            body,
            isBase64Encoded: false,
            requestContext: this.requestContext(connectionId, routeKey, 'MESSAGE', authorizer),
          },
          localLambdaContext('live-message', randomUUID()),
        )
        .catch((error: unknown) => console.error('local live api: the message function failed', error));
    });
    ws.on('close', () => {
      for (const timer of connection.timers) clearTimeout(timer);
      this.connections.delete(connectionId);
      if (this.silent.delete(connectionId)) return;
      handlers
        .disconnect(
          {
            isBase64Encoded: false,
            requestContext: this.requestContext(connectionId, '$disconnect', 'DISCONNECT', authorizer),
          },
          localLambdaContext('live-disconnect', randomUUID()),
        )
        .catch((error: unknown) => console.error('local live api: the $disconnect function failed', error));
    });
  }
}
