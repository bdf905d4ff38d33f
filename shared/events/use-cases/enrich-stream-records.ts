import type { DynamoDBRecord } from 'aws-lambda';
import { observeLevelAlert } from '../../alerts/use-cases/observe-level-alert.js';
import type { Stores } from '../../platform/runtime/stores.js';
import type { DomainEvent } from '../catalogue.js';
import { newMovementOf, recordEvents, shardMapEvent, stockChangeEvent } from '../event-mapping.js';
import { decodeStreamRecord, type LevelRecord } from '../stream-records.js';

/**
 * The one transformation of the table's stream into domain events: the enrichment step of the EventBridge Pipe
 * in the cloud (functions/enrich-stream-records.ts), and of the local event pipeline. The Pipe's filter
 * (STREAM_FILTER_PATTERNS) chooses the records; a record it would drop gives no event here either. See
 * docs/events.md and docs/decisions/0011-events-from-the-stream.md.
 */

/** What the enrichment reads and writes: movements, level shards, alert states. */
export type EnrichmentDeps = Pick<Stores, 'levels' | 'ledger' | 'alerts'>;

/** Turns a batch of stream records into domain events, in record order. */
export async function enrichStreamRecords(
  deps: EnrichmentDeps,
  records: readonly DynamoDBRecord[],
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const record of records) events.push(...(await enrichStreamRecord(deps, record)));
  return events;
}

/**
 * Turn one stream record into its domain events.
 * 1. Decode the record's images into the typed record of the item it wrote (none: no event).
 * 2. A level record that links a new movement: read that movement, observe the level's alert state (and record
 *    a change of it, observeLevelAlert), and map the movement to its stock-change event, or, for shard 0's
 *    rebalance that changed the level's active shards, LevelShardsChanged.
 * 3. Any other record: map its images to its events.
 */
export async function enrichStreamRecord(
  deps: EnrichmentDeps,
  record: DynamoDBRecord,
): Promise<DomainEvent[]> {
  const decoded = decodeStreamRecord(record);
  if (!decoded) return [];
  return decoded.kind === 'Level' ? levelRecordEvents(deps, decoded) : recordEvents(decoded);
}

async function levelRecordEvents(deps: EnrichmentDeps, record: LevelRecord): Promise<DomainEvent[]> {
  const movementId = newMovementOf(record);
  if (!movementId) return [];
  const { sku, locationId, shard } = record.level;
  const movement = await deps.ledger.getMovement(sku, locationId, shard, movementId);
  if (!movement) {
    // Written in the same transaction as the level: missing means something is badly wrong. Throwing makes the
    // batch retried, then dead-lettered, rather than silently dropped.
    throw new Error(`movement ${movementId} of ${sku}@${locationId}#${shard} not found`);
  }
  await observeLevelAlert(deps, record);
  const event = stockChangeEvent(movement, record.level) ?? shardMapEvent(movement, record);
  return event ? [event] : [];
}
