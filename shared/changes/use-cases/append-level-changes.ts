import type { DynamoDBRecord } from 'aws-lambda';
import { newMovementOf } from '../../events/event-mapping.js';
import { decodeStreamRecord } from '../../events/stream-records.js';
import type { Stores } from '../../platform/runtime/stores.js';
import type { LevelShard } from '../../stock/domain/level-shard.js';
import type { MovementRef } from '../../stock/store/ledger-store.js';
import { levelChangeOf } from '../domain/change.js';
import type { AppendOutcome } from '../store/change-feed-store.js';

export type ChangeFeedWriterDeps = Pick<Stores, 'ledger' | 'changes'>;

/**
 * The change feed's writer: the table's stream records of level shards → the feed (docs/decisions/0024).
 * 1. Decode each record; keep the level records that link a new movement (every stock change; nothing else).
 * 2. Read their movements (strongly consistent: each was written in the same transaction as its level), 100 a
 *    request rather than one request per record.
 * 3. Make the change: the movement and the level shard's figures and version from the record's new image.
 * 4. Append the changes in record order; changes the feed holds already (a redelivered record) are skipped.
 * The stream delivers each level shard's records in order, so the feed holds them in version order.
 */
export async function appendLevelChanges(
  deps: ChangeFeedWriterDeps,
  records: readonly DynamoDBRecord[],
): Promise<AppendOutcome> {
  const linked: Array<{ level: LevelShard; ref: MovementRef }> = [];
  for (const record of records) {
    const decoded = decodeStreamRecord(record);
    if (decoded?.kind !== 'Level') continue;
    const movementId = newMovementOf(decoded);
    if (!movementId) continue;
    const { sku, locationId, shard } = decoded.level;
    linked.push({ level: decoded.level, ref: { sku, locationId, shard, movementId } });
  }
  if (linked.length === 0) return { appended: 0, duplicates: 0 };
  const movements = await deps.ledger.getMovements(linked.map(({ ref }) => ref));
  const changes = linked.map(({ level, ref }) => {
    const movement = movements.get(ref.movementId);
    if (!movement) {
      // Written with the level in one transaction: its absence is a fault; the batch is retried, then
      // dead-lettered, never skipped (a gap in the feed would be silent).
      throw new Error(`movement ${ref.movementId} of ${ref.sku}@${ref.locationId}#${ref.shard} not found`);
    }
    return levelChangeOf(level, movement);
  });
  return deps.changes.append(changes);
}
