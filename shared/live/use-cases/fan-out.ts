import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';
import { deltaFor, type ServerMessage } from '../domain/messages.js';
import { topicKey, topicsOfLevel } from '../domain/topic.js';
import { closeConnection } from './connections.js';
import type { LiveDeps } from './live-deps.js';

/** The levels an inventory event says changed: its `sku` at its `locationId`, or both ends of a transfer. */
export function levelsOfEvent(event: { detail?: unknown }): { sku: Sku; locationId: LocationId }[] {
  const d = event.detail as {
    sku?: unknown;
    locationId?: unknown;
    from?: { locationId?: unknown };
    to?: { locationId?: unknown };
  } | null;
  if (!d || typeof d.sku !== 'string') return [];
  const sku = d.sku as Sku;
  const locations = [d.locationId, d.from?.locationId, d.to?.locationId].filter(
    (l): l is string => typeof l === 'string',
  );
  return [...new Set(locations)].map((locationId) => ({ sku, locationId: locationId as LocationId }));
}

export interface FanOutReport {
  readonly levels: number;
  /** Subscriber queries made: one per topic of each changed level that could be read (three topics a level). */
  readonly topics: number;
  readonly sent: number;
  readonly gone: number;
  readonly failed: number;
}

/** How many posts to the management API are in flight at once, per invocation. */
export const POST_CONCURRENCY = 32;

export class FanOutError extends Error {
  constructor(
    readonly report: FanOutReport,
    readonly firstError: unknown,
  ) {
    super(`${report.failed} of ${report.sent + report.gone + report.failed} posts failed`);
    this.name = 'FanOutError';
  }
}

/**
 * Pushes the new figures of the levels an event changed to their subscribers.
 * 1. The levels of the event (a transfer has two).
 * 2. For each: read the level now (its shards summed, strongly consistent): the figures pushed are the truth at
 *    the time of the read, with its version, whatever the order or number of deliveries of the events.
 * 3. Its subscribers, one strongly consistent Query per topic: those of the SKU's availability (sent
 *    `available` only), those of the level and those of its location (every bucket, the same message but for
 *    its `topic`). Three Queries a level, whatever the number of topics the table holds.
 * 4. Post, at most POST_CONCURRENCY at a time; a connection that is gone (410) is forgotten, with the
 *    subscription the post came from.
 * 5. Any other failure fails the whole delivery (thrown after every post was tried), so that it is retried and
 *    then dead-lettered; a repeated delivery only repeats figures the clients already hold.
 */
export async function fanOut(deps: LiveDeps, event: { detail?: unknown }): Promise<FanOutReport> {
  const posts: { connectionId: string; topic: string; message: ServerMessage }[] = [];
  const levels = levelsOfEvent(event);
  let topics = 0;
  for (const { sku, locationId } of levels) {
    const level: StockLevel | null = await deps.levels.getLevel(sku, locationId);
    if (!level) continue;
    for (const topic of topicsOfLevel(sku, locationId)) {
      const message = deltaFor(topic, level);
      const key = topicKey(topic);
      topics++;
      for (const connectionId of await deps.live.subscribersOf(key))
        posts.push({ connectionId, topic: key, message });
    }
  }
  let sent = 0;
  let gone = 0;
  let failed = 0;
  let firstError: unknown = null;
  let next = 0;
  const worker = async () => {
    while (next < posts.length) {
      const post = posts[next++] as (typeof posts)[number];
      try {
        if ((await deps.gateway.post(post.connectionId, post.message)) === 'sent') sent++;
        else {
          gone++;
          // This subscription even if the connection's record is gone already, then the connection's others.
          await deps.live.unsubscribe(post.connectionId, post.topic);
          await closeConnection(deps, post.connectionId);
        }
      } catch (error) {
        failed++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(POST_CONCURRENCY, posts.length) }, worker));
  const report = { levels: levels.length, topics, sent, gone, failed };
  if (failed > 0) throw new FanOutError(report, firstError);
  return report;
}
