import type { LevelRecord } from '../../events/stream-records.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Stores } from '../../platform/runtime/stores.js';
import { toStockLevel } from '../../platform/store/records.js';
import type { LevelShard } from '../../stock/domain/level-shard.js';
import {
  type AlertObservation,
  type AlertState,
  alertStateOf,
  QUIET,
  sameState,
  type ThresholdEvent,
  thresholdEvents,
} from '../domain/level-alert.js';

/** What the observation reads and writes: level shards, the level's alert item. */
export type ObserveLevelAlertDeps = Pick<Stores, 'levels' | 'alerts'>;

const isSharded = (s: LevelShard) => s.shard !== 0 || s.shardCount > 1 || s.shardSpan > 1;

/** How many times an observation is retried when other observations of the level keep winning the write. */
const OBSERVE_ATTEMPTS = 5;

/**
 * Observe a level's alert state (low, out) from one of its level records, and record a change of it on the
 * level's alert item, with the threshold events of the change: the one decision of a crossing. Returns the events
 * recorded now, or an empty list when nothing changed or another delivery or observation recorded it first.
 * 1. Observe: an unsharded level from the record's new image; a sharded level by reading all its shards (strongly
 *    consistent) and summing them. The state before, when no alert is recorded yet, is the old image's.
 * 2. Read the level's alert item; stop if it recorded this observation's version or a later one, or already saw
 *    this record's shard version, or if the state did not change.
 * 3. Write the alert item with the events of the change, conditional on the version read (or on its absence);
 *    when another observation won the write, go back to 2 (at most OBSERVE_ATTEMPTS times, then throw so that
 *    the batch is retried).
 *
 * - An unsharded level is observed exactly: its record's new image is the level right after the movement, at
 *   its version. Records of one item arrive in order, so the observations follow the level's history.
 * - A sharded level's crossing is about the level's sum, never a shard's. The version observed is the sum of the
 *   shards' versions, which only grows; the crossing is attributed to the movement whose record observed it.
 * - The write is a compare-and-set on the alert item's version (the version it last recorded, or its absence),
 *   and an observation older than or equal to the recorded one is dropped: a record delivered twice, or two
 *   records that observe the same change of a sharded level, record it once.
 * - A record whose shard version a recorded observation already saw is dropped too, so that each record records
 *   at most one change: a sharded level's record delivered again later cannot claim a newer crossing under the
 *   event id (its movement) of an older one.
 */
export async function observeLevelAlert(
  deps: ObserveLevelAlertDeps,
  record: LevelRecord,
): Promise<ThresholdEvent[]> {
  const shard = record.level;
  const movementId = record.movementId ?? '';
  const at = shard.updatedAt ?? '';
  let observation: AlertObservation;
  let before: AlertState = QUIET;
  if (!isSharded(shard)) {
    observation = observationOf(
      shard.sku,
      shard.locationId,
      { version: shard.version, shardVersions: { 0: shard.version } },
      shard.available,
      shard,
      movementId,
      at,
    );
    // With no alert recorded yet, the state before this change is the record's old image's (none: a new level).
    if (record.previous) {
      before = alertStateOf(record.previous.available, record.previous.reorderPoint ?? null);
    }
  } else {
    const shards = await deps.levels.getLevelShards(shard.sku, shard.locationId);
    const level = toStockLevel(shards);
    observation = observationOf(
      shard.sku,
      shard.locationId,
      { version: level.version, shardVersions: Object.fromEntries(shards.map((s) => [s.shard, s.version])) },
      level.available,
      level.policy,
      movementId,
      at,
    );
  }
  for (let attempt = 0; attempt < OBSERVE_ATTEMPTS; attempt++) {
    const recorded = await deps.alerts.getLevelAlert(shard.sku, shard.locationId);
    if (recorded && recorded.version >= observation.version) return [];
    // This record's change was already part of a recorded observation (its own first delivery, or a later one):
    // observing now would attribute a newer change to it, under an event id it may already have used.
    const seen = recorded?.shardVersions[shard.shard];
    if (seen !== undefined && shard.version <= seen) return [];
    const from = recorded ?? before;
    if (sameState(from, observation)) return [];
    const events = thresholdEvents(from, observation);
    if (await deps.alerts.putLevelAlert(observation, events, recorded?.version ?? null)) return events;
  }
  throw new Error(`the alert state of ${shard.sku}@${shard.locationId} kept changing; retry the batch`);
}

function observationOf(
  sku: Sku,
  locationId: LocationId,
  versions: Pick<AlertObservation, 'version' | 'shardVersions'>,
  available: number,
  policy: { reorderPoint?: number | null; reorderQuantity?: number | null },
  movementId: string,
  at: string,
): AlertObservation {
  const reorderPoint = policy.reorderPoint ?? null;
  return {
    sku,
    locationId,
    ...versions,
    available,
    reorderPoint,
    reorderQuantity: policy.reorderQuantity ?? null,
    movementId,
    at,
    ...alertStateOf(available, reorderPoint),
  };
}
