import type { LocationId } from '../../kernel/identifiers.js';
import { type LiveCaller, refusalOf } from '../domain/access.js';
import {
  errorMessage,
  isErrorMessage,
  LOCATION_SNAPSHOT_PAGE,
  levelSnapshot,
  locationSnapshot,
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
 *   (or both: the versions sort it out). An unknown SKU, level or location is refused and the subscription
 *   removed. A location's snapshot is read from its levels' listing a page at a time and posted as one message
 *   per page (LOCATION_SNAPSHOT_PAGE levels), in order, `more` on every page but the last.
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
  if (answer !== null) await post(deps, connectionId, answer);
}

/** Posts to the connection; false (and the connection forgotten) when it is gone. */
async function post(deps: LiveDeps, connectionId: string, message: ServerMessage): Promise<boolean> {
  if ((await deps.gateway.post(connectionId, message)) === 'sent') return true;
  await closeConnection(deps, connectionId);
  return false;
}

/** The answer to post, or null when it was posted already (a location's snapshot, page by page). */
async function answerTo(
  deps: LiveDeps,
  caller: LiveCaller,
  connectionId: string,
  body: string | undefined | null,
): Promise<ServerMessage | null> {
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
  if (topic.kind === 'location') {
    if (await postLocationSnapshot(deps, connectionId, topic.locationId, id)) return null;
  } else {
    const snapshot = await snapshotOf(deps, topic, id);
    if (snapshot) return snapshot;
  }
  await deps.live.unsubscribe(connectionId, key);
  return unknownTopic(topic, key, id);
}

function unknownTopic(topic: Topic, key: string, id: string | undefined): ServerMessage {
  switch (topic.kind) {
    case 'sku':
      return errorMessage('unknown-sku', `no location stocks SKU ${topic.sku}`, { topic: key, id });
    case 'level':
      return errorMessage('unknown-level', `there is no level of ${topic.sku} at ${topic.locationId}`, {
        topic: key,
        id,
      });
    case 'location':
      return errorMessage('unknown-location', `there is no location ${topic.locationId}`, { topic: key, id });
  }
}

/**
 * Posts a location's snapshot, one message per page of its levels (by SKU), the last with `more: false`; a
 * location without levels yet gets one empty page. False, with nothing posted, when the location does not exist.
 */
async function postLocationSnapshot(
  deps: LiveDeps,
  connectionId: string,
  locationId: LocationId,
  id: string | undefined,
): Promise<boolean> {
  if (!(await deps.locations.getLocation(locationId))) return false;
  let after: string | null = null;
  for (;;) {
    const page = await deps.listings.levelsAt(locationId, {
      prefix: '',
      after,
      limit: LOCATION_SNAPSHOT_PAGE,
    });
    const levels = page.rows.flatMap((row) => (row.item ? [row.item] : []));
    const more = page.more && page.rows.length > 0;
    if (!(await post(deps, connectionId, locationSnapshot(locationId, levels, more, id)))) return true;
    if (!more) return true;
    after = page.rows.at(-1)?.sortKey ?? null;
  }
}

async function snapshotOf(
  deps: LiveDeps,
  topic: Topic,
  id: string | undefined,
): Promise<ServerMessage | null> {
  if (topic.kind === 'location') return null;
  if (topic.kind === 'sku') {
    const levels = await deps.levels.getAvailability(topic.sku);
    return levels.length === 0 ? null : skuSnapshot(topic.sku, levels, id);
  }
  const level = await deps.levels.getLevel(topic.sku, topic.locationId);
  return level ? levelSnapshot(level, id) : null;
}
