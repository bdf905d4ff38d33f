import type { LiveCaller } from '../domain/access.js';
import type { OpenOutcome } from '../store/live-store.js';
import { type LiveDeps, MAX_CONNECTION_MS } from './live-deps.js';

/**
 * Records a new connection ($connect).
 * 1. Take one of the caller's connection slots (the limit is `maxConnectionsPerCaller`) and record the
 *    connection, in one transaction; a slot whose connection outlived API Gateway's two hours is taken over.
 * 2. All taken: refused (the client's handshake gets 429).
 */
export function openConnection(
  deps: LiveDeps,
  caller: LiveCaller,
  connectionId: string,
): Promise<OpenOutcome> {
  const now = deps.clock.now();
  return deps.live.openConnection(
    { connectionId, principal: caller.principal, connectedAt: now, expiresAt: now + MAX_CONNECTION_MS },
    deps.limits.maxConnectionsPerCaller,
  );
}

/**
 * Forgets a connection ($disconnect, or a post that found it gone).
 * 1. Delete its record, learning its slot and topics.
 * 2. Free its slot (unless another connection has it) and delete its subscriptions.
 */
export async function closeConnection(deps: Pick<LiveDeps, 'live'>, connectionId: string): Promise<void> {
  await deps.live.closeConnection(connectionId);
}
