import { type LiveCaller, refusalOf } from '../domain/access.js';
import {
  errorMessage,
  isErrorMessage,
  levelSnapshot,
  parseClientMessage,
  type ServerMessage,
  skuSnapshot,
  topicOf,
} from '../domain/messages.js';
import { type Topic, topicKey } from '../domain/topic.js';
import { closeConnection } from './connections.js';
import { type LiveDeps, MAX_CONNECTION_MS } from './live-deps.js';

/**
 * Answers one message from a connection; every answer is posted to the connection itself.
 * - `subscribe`: check the caller may see the topic (else `forbidden`); add the subscription (the connection's
 *   limit: `too-many-subscriptions`); then read the figures (strongly consistent) and post the snapshot. The
 *   subscription is written before the read, so a change made meanwhile is in the snapshot or comes as a delta
 *   (or both: the versions sort it out). An unknown SKU or level is refused and the subscription removed.
 * - `unsubscribe`: remove the subscription (idempotent) and confirm.
 * - `ping`: `pong`, the heartbeat that keeps the connection through API Gateway's idle timeout.
 * - anything else: an error naming the field at fault. Nothing a client sends is answered with a failure.
 */
export async function handleMessage(
  deps: LiveDeps,
  caller: LiveCaller,
  connectionId: string,
  body: string | undefined | null,
): Promise<void> {
  const answer = await answerTo(deps, caller, connectionId, body);
  const outcome = await deps.gateway.post(connectionId, answer);
  if (outcome === 'gone') await closeConnection(deps, connectionId);
}

async function answerTo(
  deps: LiveDeps,
  caller: LiveCaller,
  connectionId: string,
  body: string | undefined | null,
): Promise<ServerMessage> {
  const message = parseClientMessage(body);
  if (isErrorMessage(message)) return message;
  if (message.action === 'ping')
    return {
      type: 'pong',
      at: new Date(deps.clock.now()).toISOString(),
      ...(message.id ? { id: message.id } : {}),
    };
  const topic = topicOf(message);
  const key = topicKey(topic);
  const id = message.id;
  if (message.action === 'unsubscribe') {
    await deps.live.unsubscribe(connectionId, key);
    return { type: 'unsubscribed', topic: key, ...(id ? { id } : {}) };
  }
  const refusal = refusalOf(caller, topic);
  if (refusal) return errorMessage('forbidden', refusal, { topic: key, id });
  const outcome = await deps.live.subscribe(
    connectionId,
    key,
    deps.limits.maxSubscriptionsPerConnection,
    deps.clock.now() + MAX_CONNECTION_MS,
  );
  if (outcome === 'too-many-subscriptions') {
    return errorMessage(
      'too-many-subscriptions',
      `a connection follows at most ${deps.limits.maxSubscriptionsPerConnection} topics: unsubscribe from one first`,
      { topic: key, id },
    );
  }
  if (outcome === 'not-connected')
    return errorMessage('not-connected', 'this connection is closed: connect again', { topic: key, id });
  const snapshot = await snapshotOf(deps, topic, id);
  if (snapshot) return snapshot;
  await deps.live.unsubscribe(connectionId, key);
  return topic.kind === 'sku'
    ? errorMessage('unknown-sku', `no location stocks SKU ${topic.sku}`, { topic: key, id })
    : errorMessage('unknown-level', `there is no level of ${topic.sku} at ${topic.locationId}`, {
        topic: key,
        id,
      });
}

async function snapshotOf(
  deps: LiveDeps,
  topic: Topic,
  id: string | undefined,
): Promise<ServerMessage | null> {
  if (topic.kind === 'sku') {
    const levels = await deps.levels.getAvailability(topic.sku);
    return levels.length === 0 ? null : skuSnapshot(topic.sku, levels, id);
  }
  const level = await deps.levels.getLevel(topic.sku, topic.locationId);
  return level ? levelSnapshot(level, id) : null;
}
