import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bucketOf } from '../../kernel/fingerprint.js';
import { outsideRequest } from './request-deadline.js';
import { splitNotices } from './split-notices.js';

/**
 * The reserve path's contention signal (ADR 30): each transaction cancelled for throttling or a conflict, and
 * retried, is counted in memory per level; at most once per FLUSH_EVERY_MS per process the counts are added
 * to each level's contention item (one UpdateItem ADD each, outside the request: it neither delays nor
 * changes the answer, and a failure is only logged). The scheduled auto-sharding job reads these items
 * through the `expiry` index (partitions `CONTENTION#{0..7}`, sorted by the last contention time). The flush's
 * answer (the item as it is now) tells the process of a split the job has announced on it (ADR 36).
 */
export const FLUSH_EVERY_MS = 5_000;
export const CONTENTION_BUCKETS = 8;
export const contentionKey = (sku: string, locationId: string) => ({
  pk: `CONTENTION#${sku}#${locationId}`,
  sk: 'CONTENTION',
});
export const contentionBucket = (sku: string, locationId: string): string =>
  `CONTENTION#${bucketOf(`${sku}#${locationId}`, CONTENTION_BUCKETS)}`;
export const contentionBuckets = (): string[] =>
  Array.from({ length: CONTENTION_BUCKETS }, (_, n) => `CONTENTION#${n}`);

const counts = new Map<string, { tableName: string; sku: string; locationId: string; n: number }>();
let lastFlush = 0;

/** Counts one contended write of each level given; flushes the counts when due. */
export function recordContention(
  client: DynamoDBDocumentClient,
  tableName: string,
  levels: readonly { sku: string; locationId: string }[],
  nowMs: number = Date.now(),
): void {
  for (const { sku, locationId } of levels) {
    const key = `${tableName}|${sku}#${locationId}`;
    const entry = counts.get(key) ?? { tableName, sku, locationId, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  if (nowMs - lastFlush < FLUSH_EVERY_MS) return;
  lastFlush = nowMs;
  void flushContention(client, nowMs).catch((error: unknown) =>
    console.warn(JSON.stringify({ level: 'warn', message: 'contention not recorded', error: String(error) })),
  );
}

/**
 * Adds the counts so far to the levels' contention items now (outside any request), and learns from each item
 * whether a split of its level is announced (split-notices.ts).
 */
export function flushContention(client: DynamoDBDocumentClient, nowMs: number = Date.now()): Promise<void> {
  const batch = [...counts.values()];
  counts.clear();
  return outsideRequest(async () => {
    await Promise.all(
      batch.map(async (c) => {
        const { Attributes } = await client.send(
          new UpdateCommand(buildContentionAdd(c.tableName, c.sku, c.locationId, c.n, nowMs)),
        );
        const split = announcedSplit(Attributes, nowMs);
        if (split) splitNotices.learn(c.tableName, c.sku, c.locationId, split.to, split.until);
        else splitNotices.forget(c.tableName, c.sku, c.locationId);
      }),
    );
  });
}

/** The split a contention item announces (`splitTo` shards until `splitUntil`), if it is still current. */
export function announcedSplit(
  item: Record<string, unknown> | undefined,
  nowMs: number,
): { to: number; until: number } | null {
  const to = item?.splitTo;
  const until = item?.splitUntil;
  if (typeof to !== 'number' || typeof until !== 'number' || until <= nowMs) return null;
  return { to, until };
}

/** Adds `n` contended writes to a level's contention item, and lists it at `nowMs` in the expiry index. */
export function buildContentionAdd(
  tableName: string,
  sku: string,
  locationId: string,
  n: number,
  nowMs: number,
) {
  return {
    TableName: tableName,
    Key: contentionKey(sku, locationId),
    UpdateExpression:
      'ADD #contended :n SET #sku = :sku, #locationId = :loc, #expiryBucket = :bucket, #expiresAt = :now',
    ExpressionAttributeNames: {
      '#contended': 'contended',
      '#sku': 'sku',
      '#locationId': 'locationId',
      '#expiryBucket': 'expiryBucket',
      '#expiresAt': 'expiresAt',
    },
    ExpressionAttributeValues: {
      ':n': n,
      ':sku': sku,
      ':loc': locationId,
      ':bucket': contentionBucket(sku, locationId),
      ':now': nowMs,
    },
    ReturnValues: 'ALL_NEW' as const,
  };
}
