import type { PrincipalId } from '../../kernel/identifiers.js';
import type { NewConnection } from './requests/live-records.js';

export type { NewConnection } from './requests/live-records.js';

export type OpenOutcome = 'opened' | 'too-many-connections';
export type SubscribeOutcome =
  | 'subscribed'
  | 'already-subscribed'
  | 'too-many-subscriptions'
  | 'not-connected';

/** What a closed connection held: its caller and the topics it followed. */
export interface ClosedConnection {
  readonly principal: PrincipalId;
  readonly topics: readonly string[];
}

/** Storage of live connections and their subscriptions. */
export interface LiveStore {
  /** Records a connection in one of the caller's `maxPerCaller` slots, or refuses it when all are taken. */
  openConnection(connection: NewConnection, maxPerCaller: number): Promise<OpenOutcome>;
  /** Forgets a connection, its slot and its subscriptions; null when it was not known. */
  closeConnection(connectionId: string): Promise<ClosedConnection | null>;
  /** Adds a subscription; `expiresAt` bounds its life (the connection cannot outlive it). */
  subscribe(
    connectionId: string,
    topic: string,
    maxPerConnection: number,
    expiresAt: number,
  ): Promise<SubscribeOutcome>;
  unsubscribe(connectionId: string, topic: string): Promise<void>;
  /** The connections subscribed to a topic. */
  subscribersOf(topic: string): Promise<string[]>;
}
