import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { LocationId, Sku } from '../domain/identifiers.js';
import {
  type AlertObservation,
  type AlertState,
  alertStateOf,
  type LevelAlert,
  QUIET,
  sameState,
  type ThresholdEvent,
  thresholdEvents,
} from '../domain/level-alert.js';
import type { LevelShard } from '../domain/level-shard.js';
import type { Movement } from '../domain/movement.js';
import type { ReservationStatus } from '../domain/reservation.js';
import { COUNTED_BUCKETS, compactDelta } from '../domain/stock-level.js';
import {
  type Item,
  toLevelAlert,
  toLevelShard,
  toReplenishment,
  toReservation,
  toStockLevel,
} from '../store/records.js';
import type { Stores } from '../store/stores.js';
import { type DetailOf, type DetailType, type DomainEvent, EVENT_SOURCE, eventIdFor } from './catalogue.js';
import { passesStreamFilter } from './rules.js';

/**
 * The one transformation of the table's stream into domain events: the enrichment step of the EventBridge
 * Pipe in the cloud, and of the local event pipeline. Every event is a function of a stream record's images
 * (and, for a stock change, of the movement its level record points to), so a record delivered twice gives the
 * same events with the same ids. See docs/events.md and docs/decisions/0011-events-from-the-stream.md.
 *
 * - A level record (INSERT or MODIFY that links a new movement) gives the stock-change event of that movement,
 *   read by its key: StockReceived, StockAdjusted, StockMoved, StockCounted, or TransferCompleted (from the
 *   first TRANSFERRED_OUT part). Movements of holds, rebalances, policies and replenishment requests give none:
 *   holds have their own records, and the others are documented as silent.
 *   It also observes the level's alert state (low, out), summed over its shards, and records a change of it on
 *   the level's alert item with a conditional write: that is the one decision of a crossing.
 * - A level's alert record gives the threshold events that change decided: StockLow, StockOut, StockBackInStock.
 * - A reservation record gives ReservationCreated (INSERT), the event of its new status (a transition), or
 *   ReservationExtended (a later expiry while HELD); the TTL backstop's restored reservation gives
 *   ReservationExpired.
 * - The opening of a replenishment request (the INSERT of its open item) gives ReplenishmentRequested.
 */

/** What the enrichment reads and writes: movements, level shards, alert states. */
export type EnrichmentDeps = Pick<Stores, 'levels' | 'ledger' | 'alerts'>;

/** Turns a batch of stream records into domain events, in record order. Records the filter drops give none. */
export async function enrichStreamRecords(
  deps: EnrichmentDeps,
  records: readonly DynamoDBRecord[],
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const record of records) events.push(...(await enrichStreamRecord(deps, record)));
  return events;
}

export async function enrichStreamRecord(
  deps: EnrichmentDeps,
  record: DynamoDBRecord,
): Promise<DomainEvent[]> {
  if (!passesStreamFilter(record)) return [];
  const item = imageOf(record.dynamodb?.NewImage);
  if (!item) return [];
  const old = imageOf(record.dynamodb?.OldImage);
  switch (item.kind) {
    case 'Level':
      return levelRecordEvents(deps, item, old);
    case 'Reservation':
      return reservationEvents(item, old);
    case 'LevelAlert':
      return alertEvents(item, old);
    case 'Replenishment':
      return record.eventName === 'INSERT' ? replenishmentEvents(item) : [];
    default:
      return [];
  }
}

function imageOf(image: NonNullable<DynamoDBRecord['dynamodb']>['NewImage']): Item | null {
  return image ? unmarshall(image as Record<string, AttributeValue>) : null;
}

/** Builds an event with its derived id. */
export function domainEvent<T extends DetailType>(
  type: T,
  detail: Omit<DetailOf<T>, 'eventId'>,
): DomainEvent {
  return {
    source: EVENT_SOURCE,
    'detail-type': type,
    detail: { ...detail, eventId: eventIdFor(type, detail) },
  } as unknown as DomainEvent;
}

// ---------------------------------------------------------------------------------------------------------------
// Stock changes
// ---------------------------------------------------------------------------------------------------------------

async function levelRecordEvents(deps: EnrichmentDeps, item: Item, old: Item | null): Promise<DomainEvent[]> {
  const movementId = typeof item.lastMovementId === 'string' ? item.lastMovementId : null;
  // A write that links no new movement is not a stock change (nothing in the code makes one).
  if (!movementId || movementId === old?.lastMovementId) return [];
  const shard = toLevelShard(item);
  const movement = await deps.ledger.getMovement(shard.sku, shard.locationId, shard.shard, movementId);
  if (!movement) {
    // Written in the same transaction as the level: missing means something is badly wrong. Throwing makes the
    // batch retried, then dead-lettered, rather than silently dropped.
    throw new Error(`movement ${movementId} of ${shard.sku}@${shard.locationId}#${shard.shard} not found`);
  }
  await observeLevel(deps, item, old);
  const event = stockChangeEvent(movement, shard);
  return event ? [event] : [];
}

const snapshotOf = (level: LevelShard) => ({
  ...Object.fromEntries(COUNTED_BUCKETS.map((b) => [b, level[b]])),
  available: level.available,
  version: level.version,
});

/**
 * The event of one movement, given its level shard right after it (the level record's new image). Null for the
 * movements that have no stock-change event of their own.
 */
export function stockChangeEvent(m: Movement, level: LevelShard): DomainEvent | null {
  const delta = compactDelta(m.delta);
  const change = {
    schemaVersion: 1 as const,
    occurredAt: m.at,
    movementId: m.movementId,
    sku: m.sku,
    locationId: m.locationId,
    shard: m.shard,
    delta,
    reason: m.reason,
    reference: m.reference,
    actor: m.actor,
    level: snapshotOf(level) as DetailOf<'StockReceived'>['level'],
  };
  switch (m.type) {
    case 'RECEIVED':
      return domainEvent('StockReceived', { ...change, type: 'RECEIVED', quantity: delta.onHand ?? 0 });
    case 'ADJUSTED':
      // (The catalogue's inferred type of this detail loses `reason`, which StockAdjusted requires: cast.)
      return domainEvent('StockAdjusted', {
        ...change,
        type: 'ADJUSTED',
        reason: m.reason || 'not given',
      } as unknown as Omit<DetailOf<'StockAdjusted'>, 'eventId'>);
    case 'BLOCKED':
    case 'UNBLOCKED':
      return domainEvent('StockMoved', {
        ...change,
        type: m.type,
        quantity: Math.abs(delta.unavailable ?? 0),
      });
    case 'COUNTED':
      return domainEvent('StockCounted', {
        ...change,
        type: 'COUNTED',
        previousOnHand: level.onHand - (delta.onHand ?? 0),
        countedOnHand: level.onHand,
      });
    case 'TRANSFERRED_OUT': {
      // One event per transfer, from its first source movement; the destination's records give none.
      const t = m.transfer;
      if (!t || t.outMovementId !== m.movementId) return null;
      return domainEvent('TransferCompleted', {
        schemaVersion: 1,
        occurredAt: m.at,
        sku: m.sku,
        quantity: t.quantity,
        from: { locationId: t.from, movementId: t.outMovementId },
        to: { locationId: t.to, movementId: t.inMovementId },
        reason: m.reason,
        reference: m.reference ?? { type: 'transfer', id: t.outMovementId },
        actor: m.actor,
      });
    }
    default:
      // TRANSFERRED_IN: part of TransferCompleted. Hold movements: the reservation's record gives its event.
      // REBALANCED (the level's totals do not change), POLICY_SET, REPLENISHMENT_REQUESTED (ReplenishmentRequested
      // comes from the request's record), REPLENISHMENT_CANCELLED: no event in version 1 (docs/events.md).
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Threshold crossings: decided once, on the level's alert item
// ---------------------------------------------------------------------------------------------------------------

const isSharded = (s: LevelShard) => s.shard !== 0 || s.shardCount > 1 || s.shardSpan > 1;

/** How many times an observation is retried when other observations of the level keep winning the write. */
const OBSERVE_ATTEMPTS = 5;

/**
 * Observes the alert state (low, out) of the level a level record belongs to, and records it on the level's
 * alert item if it changed, with the threshold events of the change. Returns the events recorded now, or an
 * empty list when nothing changed or another delivery or observation recorded it first.
 *
 * - An unsharded level is observed exactly: its record's new image is the level right after the movement, at
 *   its version. Records of one item arrive in order, so the observations follow the level's history.
 * - A sharded level is observed by reading all its shards (strongly consistent) and summing them: a crossing is
 *   about the level's sum, never a shard's. The version observed is the sum of the shards' versions, which only
 *   grows; the crossing is attributed to the movement whose record observed it.
 * - The write is a compare-and-set on the alert item's version (the version it last recorded, or its absence),
 *   and an observation older than or equal to the recorded one is dropped: a record delivered twice, or two
 *   records that observe the same change of a sharded level, record it once.
 * - A record whose shard version a recorded observation already saw is dropped too, so that each record records
 *   at most one change: a sharded level's record delivered again later cannot claim a newer crossing under the
 *   event id (its movement) of an older one.
 */
export async function observeLevel(
  deps: EnrichmentDeps,
  item: Item,
  old: Item | null,
): Promise<ThresholdEvent[]> {
  const shard = toLevelShard(item);
  const movementId = String(item.lastMovementId ?? '');
  const at = String(item.updatedAt ?? '');
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
    if (old) {
      const previous = toLevelShard(old);
      before = alertStateOf(previous.available, previous.reorderPoint ?? null);
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

/** The threshold events that an alert item's write recorded (none for a write that recorded nothing new). */
export function alertEvents(item: Item, old: Item | null): DomainEvent[] {
  const alert = toLevelAlert(item);
  if (old && toLevelAlert(old).version === alert.version) return [];
  return alert.events.flatMap((type) => thresholdEvent(type, alert));
}

function thresholdEvent(type: ThresholdEvent, alert: LevelAlert): DomainEvent[] {
  const common = {
    schemaVersion: 1 as const,
    occurredAt: alert.at,
    sku: alert.sku,
    locationId: alert.locationId,
    movementId: alert.movementId,
    version: alert.version,
  };
  switch (type) {
    case 'StockLow':
      if (alert.reorderPoint === null) return [];
      return [
        domainEvent('StockLow', {
          ...common,
          available: alert.available,
          reorderPoint: alert.reorderPoint,
          reorderQuantity: alert.reorderQuantity,
        }),
      ];
    case 'StockOut':
      return [domainEvent('StockOut', { ...common, available: 0 })];
    case 'StockBackInStock':
      return [domainEvent('StockBackInStock', { ...common, available: alert.available })];
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reservations and replenishment requests
// ---------------------------------------------------------------------------------------------------------------

const TRANSITION_EVENTS = {
  CONFIRMED: 'ReservationConfirmed',
  RELEASED: 'ReservationReleased',
  EXPIRED: 'ReservationExpired',
  FULFILLED: 'ReservationFulfilled',
  CANCELLED: 'ReservationCancelled',
} as const satisfies Partial<Record<ReservationStatus, DetailType>>;

/**
 * The event of a reservation's write, from its images: created (INSERT, HELD), restored as EXPIRED by the TTL
 * backstop (INSERT, EXPIRED), moved to a new status (MODIFY), or given a later expiry while HELD (MODIFY). The
 * movement and actor are the ones the write recorded on the reservation.
 */
export function reservationEvents(item: Item, old: Item | null): DomainEvent[] {
  const r = toReservation(item);
  const before = old ? toReservation(old) : null;
  const movementId = typeof item.lastMovementId === 'string' ? item.lastMovementId : null;
  const actor = (typeof item.lastActor === 'string' ? item.lastActor : r.ownerId) as string;
  const common = {
    schemaVersion: 1 as const,
    reservationId: r.reservationId,
    sku: r.sku,
    locationId: r.locationId,
    quantity: r.quantity,
    ownerId: r.ownerId,
    expiresAt: new Date(r.expiresAt).toISOString(),
    reference: r.reference,
  };
  if (before === null || before.status !== r.status) {
    if (!movementId) return [];
    if (before === null && r.status === 'HELD') {
      return [
        domainEvent('ReservationCreated', { ...common, occurredAt: r.createdAt, status: 'HELD', movementId }),
      ];
    }
    if (r.status === 'HELD') return [];
    return [
      domainEvent(TRANSITION_EVENTS[r.status], {
        ...common,
        occurredAt: r.updatedAt,
        status: r.status,
        movementId,
        actor,
      } as Omit<DetailOf<'ReservationConfirmed'>, 'eventId'>),
    ];
  }
  if (r.status === 'HELD' && r.expiresAt > before.expiresAt) {
    return [
      domainEvent('ReservationExtended', {
        ...common,
        occurredAt: r.updatedAt,
        status: 'HELD',
        previousExpiresAt: new Date(before.expiresAt).toISOString(),
        actor,
      }),
    ];
  }
  return [];
}

/** The opening of a replenishment request (the INSERT of its open item) is ReplenishmentRequested. */
export function replenishmentEvents(item: Item): DomainEvent[] {
  const request = toReplenishment(item);
  if (request.status !== 'OPEN') return [];
  return [
    domainEvent('ReplenishmentRequested', {
      schemaVersion: 1,
      occurredAt: request.createdAt,
      requestId: request.requestId,
      sku: request.sku,
      locationId: request.locationId,
      quantity: request.quantity,
      available: request.trigger.available,
      reorderPoint: request.trigger.reorderPoint,
    }),
  ];
}
