import type { DynamoDBRecord } from 'aws-lambda';
import { newMovementOf } from '../../events/event-mapping.js';
import { decodeStreamRecord } from '../../events/stream-records.js';
import type { Stores } from '../../platform/runtime/stores.js';
import { type LevelChange, levelChangeOf } from '../domain/change.js';
import type { AppendOutcome } from '../store/change-feed-store.js';

export type ChangeFeedWriterDeps = Pick<Stores, 'ledger' | 'changes'>;

/**
 * The change feed's writer: the table's stream records of level shards → the feed (docs/decisions/0024).
 * 1. Decode each record; keep the level records that link a new movement (every stock change; nothing else).
 * 2. Read each one's movement (strongly consistent: it was written in the same transaction as the level).
 * 3. Make the change: the movement and the level shard's figures and version from the record's new image.
 * 4. Append the changes in record order; changes the feed holds already (a redelivered record) are skipped.
 * The stream delivers each level shard's records in order, so the feed holds them in version order.
 */
export async function appendLevelChanges(
  deps: ChangeFeedWriterDeps,
  records: readonly DynamoDBRecord[],
): Promise<AppendOutcome> {
  const changes: LevelChange[] = [];
  for (const record of records) {
    const decoded = decodeStreamRecord(record);
    if (decoded?.kind !== 'Level') continue;
    const movementId = newMovementOf(decoded);
    if (!movementId) continue;
    const { sku, locationId, shard } = decoded.level;
    const movement = await deps.ledger.getMovement(sku, locationId, shard, movementId);
    if (!movement) {
      // Written with the level in one transaction: its absence is a fault; the batch is retried, then
      // dead-lettered, never skipped (a gap in the feed would be silent).
      throw new Error(`movement ${movementId} of ${sku}@${locationId}#${shard} not found`);
    }
    changes.push(levelChangeOf(decoded.level, movement));
  }
  if (changes.length === 0) return { appended: 0, duplicates: 0 };
  return deps.changes.append(changes);
}
