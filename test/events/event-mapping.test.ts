import { describe, expect, it } from 'vitest';
import type { LevelAlert } from '../../shared/alerts/domain/level-alert.js';
import { parseDomainEvent } from '../../shared/events/catalogue.js';
import { newMovementOf, recordEvents, stockChangeEvent } from '../../shared/events/event-mapping.js';
import type { LevelRecord } from '../../shared/events/stream-records.js';
import type { Reservation } from '../../shared/holds/domain/reservation.js';
import {
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import type { Movement } from '../../shared/stock/domain/movement.js';

/** The pure mapping of typed stream records to events: no table, no network. */

const sku = parseSku('SKU-MAP-1');
const locationId = parseLocationId('WH-MAP-1');
const clerk = parsePrincipalId('clerk-1');
const buyer = parsePrincipalId('buyer-1');
const M1 = '01JB0000000000000000000001';
const M2 = '01JB0000000000000000000002';
const R1 = parseReservationId('01JB00000000000000000000R1');

const levelAfter: LevelShard = {
  sku,
  locationId,
  shard: 0,
  shardCount: 1,
  shardSpan: 1,
  onHand: 12,
  reserved: 2,
  committed: 0,
  unavailable: 0,
  safetyStock: 0,
  incoming: 0,
  available: 10,
  version: 3,
};

const levelRecord = (movementId: string | null, previousMovementId: string | null): LevelRecord => ({
  kind: 'Level',
  level: levelAfter,
  previous: null,
  movementId,
  previousMovementId,
});

describe('the stock change of a level record', () => {
  it('is the new movement a level record links, and none when the record links the same one again', () => {
    // Act
    const changed = newMovementOf(levelRecord(M2, M1));
    const unchanged = newMovementOf(levelRecord(M1, M1));
    const none = newMovementOf(levelRecord(null, M1));

    // Assess
    expect([changed, unchanged, none]).toEqual([M2, null, null]);
  });

  it('maps a receipt to StockReceived with the level right after it and the movement as its id', () => {
    // Prepare
    const receipt: Movement = {
      movementId: M1,
      sku,
      locationId,
      shard: 0,
      type: 'RECEIVED',
      delta: { onHand: 5, reserved: 0, committed: 0, unavailable: 0, safetyStock: 0, incoming: 0 },
      reason: 'PO-7',
      reference: null,
      reservationId: null,
      actor: clerk,
      at: '2026-01-02T03:04:05.000Z',
    };

    // Act
    const event = stockChangeEvent(receipt, levelAfter);

    // Assess
    expect(parseDomainEvent(event)).toEqual({
      source: 'inventory',
      'detail-type': 'StockReceived',
      detail: {
        schemaVersion: 1,
        eventId: `StockReceived#${M1}`,
        occurredAt: '2026-01-02T03:04:05.000Z',
        movementId: M1,
        sku,
        locationId,
        shard: 0,
        type: 'RECEIVED',
        delta: { onHand: 5 },
        reason: 'PO-7',
        reference: null,
        actor: clerk,
        quantity: 5,
        level: {
          onHand: 12,
          reserved: 2,
          committed: 0,
          unavailable: 0,
          safetyStock: 0,
          incoming: 0,
          available: 10,
          version: 3,
        },
      },
    });
  });

  it('gives no event of its own for a hold movement', () => {
    // Prepare
    const hold: Movement = {
      movementId: M1,
      sku,
      locationId,
      shard: 0,
      type: 'RESERVED',
      delta: { onHand: 0, reserved: 2, committed: 0, unavailable: 0, safetyStock: 0, incoming: 0 },
      reason: null,
      reference: null,
      reservationId: R1,
      actor: buyer,
      at: '2026-01-02T03:04:05.000Z',
    };

    // Act
    const event = stockChangeEvent(hold, levelAfter);

    // Assess
    expect(event).toBeNull();
  });
});

describe('the events of an alert record', () => {
  const alert: LevelAlert = {
    sku,
    locationId,
    version: 4,
    shardVersions: { 0: 4 },
    low: true,
    out: true,
    available: 0,
    reorderPoint: 3,
    reorderQuantity: 10,
    movementId: M2,
    at: '2026-01-02T03:04:05.000Z',
    events: ['StockLow', 'StockOut'],
  };

  it('are the threshold events its write recorded, identified by the movement that crossed', () => {
    // Act
    const events = recordEvents({
      kind: 'LevelAlert',
      alert,
      previous: { ...alert, version: 2, events: [] },
    });

    // Assess
    expect(events.map((e) => parseDomainEvent(e).detail.eventId)).toEqual([
      `StockLow#${M2}`,
      `StockOut#${M2}`,
    ]);
  });

  it('are none for a write that recorded no new observation', () => {
    // Act
    const events = recordEvents({ kind: 'LevelAlert', alert, previous: alert });

    // Assess
    expect(events).toEqual([]);
  });
});

describe('the events of a reservation record', () => {
  const held: Reservation = {
    reservationId: R1,
    sku,
    locationId,
    parts: [{ shard: 0, quantity: 2 }],
    quantity: 2,
    ownerId: buyer,
    status: 'HELD',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    expiresAt: Date.parse('2026-01-02T03:19:05.000Z'),
    maxExpiresAt: Date.parse('2026-01-02T04:04:05.000Z'),
    reference: 'cart-1',
    resolvedAt: null,
    countedHold: true,
  };

  it('is ReservationCreated for a new hold, and the transition event for a new status', () => {
    // Prepare
    const released: Reservation = { ...held, status: 'RELEASED', updatedAt: '2026-01-02T03:05:00.000Z' };

    // Act
    const created = recordEvents({
      kind: 'Reservation',
      reservation: held,
      previous: null,
      movementId: M1,
      actor: null,
    });
    const resolved = recordEvents({
      kind: 'Reservation',
      reservation: released,
      previous: held,
      movementId: M2,
      actor: 'admin-1',
    });

    // Assess
    expect(created.map((e) => [e['detail-type'], e.detail.eventId])).toEqual([
      ['ReservationCreated', `ReservationCreated#${R1}`],
    ]);
    expect(
      resolved.map((e) => [e['detail-type'], e.detail.eventId, (e.detail as { actor: string }).actor]),
    ).toEqual([['ReservationReleased', `ReservationReleased#${R1}`, 'admin-1']]);
  });

  it('is none for a write that changed neither its status nor to a later expiry', () => {
    // Act
    const events = recordEvents({
      kind: 'Reservation',
      reservation: held,
      previous: held,
      movementId: M1,
      actor: null,
    });

    // Assess
    expect(events).toEqual([]);
  });
});
