import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/live/domain/messages.js';

/** A refused WebSocket handshake: the HTTP status API Gateway (or its stand-in) answered. */
export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`handshake refused with ${status}`);
  }
}

/**
 * A live-feed client for tests and the benchmark: a real WebSocket, every message kept in arrival order, and
 * `next(...)` waiting (with a deadline, no fixed sleep) for the first message that matches.
 */
export class LiveClient {
  readonly received: ServerMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private cursor = 0;
  closed = false;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as ServerMessage);
      for (const wake of this.waiters) wake();
    });
    socket.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  static connect(url: string, token: string | null): Promise<LiveClient> {
    const address = token === null ? url : `${url}/?token=${encodeURIComponent(token)}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(address);
      socket.once('open', () => resolve(new LiveClient(socket)));
      socket.once('unexpected-response', (_request, response) => {
        reject(new HandshakeRefused(response.statusCode ?? 0));
        response.resume();
        socket.terminate();
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Sends a request and waits for its answer (the first message carrying the same `id`). */
  async request(message: Record<string, unknown>, timeoutMs = 10_000): Promise<ServerMessage> {
    const id = `r-${Math.random().toString(36).slice(2)}`;
    this.send({ ...message, id });
    return this.next((m) => (m as { id?: string }).id === id, timeoutMs);
  }

  /** The first message after those already taken that matches, waiting up to `timeoutMs`. */
  async next(match: (m: ServerMessage) => boolean = () => true, timeoutMs = 10_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = this.cursor; i < this.received.length; i++) {
        const message = this.received[i] as ServerMessage;
        if (match(message)) {
          this.cursor = i + 1;
          return message;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed)
        throw new Error(
          `no matching message within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`,
        );
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Every message received so far (for assertions that nothing else came). */
  all(): readonly ServerMessage[] {
    return this.received;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}
