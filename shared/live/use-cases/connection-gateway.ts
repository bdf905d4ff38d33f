import type { ServerMessage } from '../domain/messages.js';

/** What became of a message sent to a connection: delivered, or the connection is gone (410). */
export type PostOutcome = 'sent' | 'gone';

/** The port to API Gateway's `@connections` management API (or its local stand-in). */
export interface ConnectionGateway {
  post(connectionId: string, message: ServerMessage): Promise<PostOutcome>;
}
