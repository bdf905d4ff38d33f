import type { LevelAlert, ThresholdEvent } from '../alerts/domain/level-alert.js';
import type { ReservationStatus } from '../holds/domain/reservation.js';
import type { LevelShard } from '../stock/domain/level-shard.js';
import type { Movement } from '../stock/domain/movement.js';
import { COUNTED_BUCKETS, compactDelta } from '../stock/domain/stock-level.js';
import { type DetailOf, type DetailType, type DomainEvent, domainEvent } from './catalogue.js';
import type {
  LevelAlertRecord,
  LevelRecord,
  ReplenishmentRecord,
  ReservationRecord,
  StreamRecord,
} from './stream-records.js';

/**
 * The mapping of the table's typed stream records (shared/events/stream-records.ts) to domain events: pure, no
 * I/O. Every event is a function of a record's images (and, for a stock change, of the movement its level record
 * links), so a record delivered twice gives the same events with the same ids. See docs/events.md and
 * docs/decisions/0011-events-from-the-stream.md.
 *
 * - A level record that links a new movement gives the stock-change event of that movement: StockReceived,
 *   StockAdjusted, StockMoved, StockCounted, or TransferCompleted (from the first TRANSFERRED_OUT part).
 *   Movements of holds, rebalances, policies and replenishment requests give none: holds have their own records,
 *   and the others are documented as silent. (Reading the movement and observing the level's alert state are the
 *   enrichment's: shared/events/use-cases/enrich-stream-records.ts.)
 * - Shard 0's level record whose REBALANCED movement changed the level's active shards gives LevelShardsChanged.
 * - A level's alert record gives the threshold events its write decided: StockLow, StockOut, StockBackInStock.
 * - A reservation record gives ReservationCreated (INSERT), the event of its new status (a transition), or
 *   ReservationExtended (a later expiry while HELD); the TTL backstop's restored reservation gives
 *   ReservationExpired.
 * - The opening of a replenishment request (the INSERT of its open item) gives ReplenishmentRequested.
 */

/** The movement a level record links, when it is a new one (a stock change); null otherwise. */
export function newMovementOf(record: LevelRecord): string | null {
  // A write that links no new movement is not a stock change (nothing in the code makes one).
  const { movementId, previousMovementId } = record;
  return movementId && movementId !== previousMovementId ? movementId : null;
}

/** The events of a record that needs nothing but its images: every kind but a level's. */
export function recordEvents(record: Exclude<StreamRecord, LevelRecord>): DomainEvent[] {
  switch (record.kind) {
    case 'Reservation':
      return reservationEvents(record);
    case 'LevelAlert':
      return alertEvents(record);
    case 'Replenishment':
      return replenishmentEvents(record);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stock changes
// ---------------------------------------------------------------------------------------------------------------

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

/**
 * LevelShardsChanged: the level record of shard 0 whose REBALANCED movement changed the level's number of active
 * shards (shard 0 holds the shard map and takes the new count in a rebalance's last transaction). Null otherwise.
 */
export function shardMapEvent(m: Movement, record: LevelRecord): DomainEvent | null {
  const { level, previous } = record;
  if (m.type !== 'REBALANCED' || level.shard !== 0 || !previous) return null;
  if (previous.shardCount === level.shardCount) return null;
  return domainEvent('LevelShardsChanged', {
    schemaVersion: 1,
    occurredAt: m.at,
    sku: m.sku,
    locationId: m.locationId,
    from: previous.shardCount,
    to: level.shardCount,
    movementId: m.movementId,
    actor: m.actor,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Threshold events: recorded on the level's alert item
// ---------------------------------------------------------------------------------------------------------------

/** The threshold events that an alert item's write recorded (none for a write that recorded nothing new). */
export function alertEvents({ alert, previous }: LevelAlertRecord): DomainEvent[] {
  if (previous && previous.version === alert.version) return [];
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
export function reservationEvents(record: ReservationRecord): DomainEvent[] {
  const { reservation: r, previous: before, movementId } = record;
  const actor = record.actor ?? r.ownerId;
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
export function replenishmentEvents({ request }: ReplenishmentRecord): DomainEvent[] {
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
