import { describe, expect, it } from 'vitest';
import { type EventPattern, matches, validatePattern } from '../../infra/local/pattern-matcher.js';
import {
  DETAIL_TYPES,
  type DetailOf,
  detailSchemas,
  EVENT_SOURCE,
  eventIdFor,
  InvalidDomainEventError,
  parseDomainEvent,
} from '../../shared/events/catalogue.js';
import { documentedConsumerPatterns, documentedExamples } from './docs-examples.js';

const examples = documentedExamples();

/** A deep copy of the documented example of `type`, to change in a test. */
function example(type: string): { source: string; 'detail-type': string; detail: Record<string, unknown> } {
  const found = examples.get(type);
  if (found === undefined) throw new Error(`docs/events.md has no example for ${type}`);
  return structuredClone(found) as { source: string; 'detail-type': string; detail: Record<string, unknown> };
}

/** The message of what `attempt` throws. */
function failureOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDomainEventError);
    return (error as Error).message;
  }
  throw new Error('expected the event to be refused');
}

describe('the documented catalogue', () => {
  it('documents exactly the catalogue detail-types, each in its own section with an example', () => {
    // Act
    const documented = [...examples.keys()];

    // Assess
    expect(documented).toEqual([...DETAIL_TYPES]);
  });

  it.each(DETAIL_TYPES)('parses the documented %s example as that detail-type', (type) => {
    // Prepare
    const event = example(type);

    // Act
    const parsed = parseDomainEvent(event);

    // Assess
    expect(parsed.source).toBe(EVENT_SOURCE);
    expect(parsed['detail-type']).toBe(type);
    expect(parsed.detail).toEqual(event.detail);
  });

  it('has one detail schema per detail-type', () => {
    // Act
    const keys = Object.keys(detailSchemas);

    // Assess
    expect(keys).toEqual([...DETAIL_TYPES]);
  });
});

describe('parseDomainEvent', () => {
  it('keeps the envelope fields EventBridge adds and drops detail fields it does not know', () => {
    // Prepare
    const event = {
      ...example('StockLow'),
      id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
      time: '2026-03-02T12:00:01Z',
    };
    event.detail.addedLater = 'a field of a newer producer';

    // Act
    const parsed = parseDomainEvent(event);

    // Assess
    expect(parsed.id).toBe('53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa');
    expect(parsed.detail).not.toHaveProperty('addedLater');
  });

  it('refuses an event of another source, naming the field', () => {
    // Prepare
    const event = { ...example('StockOut'), source: 'orders' };

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/not an inventory event/);
    expect(message).toMatch(/source/);
  });

  it('refuses an unknown detail-type', () => {
    // Prepare
    const event = { ...example('StockOut'), 'detail-type': 'StockVanished' };

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/detail-type/);
  });

  it('refuses a detail with a missing field, naming its path', () => {
    // Prepare
    const event = example('ReservationCreated');
    delete event.detail.ownerId;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/invalid ReservationCreated event/);
    expect(message).toMatch(/detail\.ownerId/);
  });

  it('refuses an eventId not derived from the movement, and says which it must be', () => {
    // Prepare
    const event = example('StockReceived');
    event.detail.eventId = 'some-random-uuid';

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toContain(`eventId must be "StockReceived#${String(event.detail.movementId)}"`);
  });

  it('refuses a level snapshot whose available does not follow from its buckets', () => {
    // Prepare
    const event = example('StockMoved');
    (event.detail.level as Record<string, number>).available = 48;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(
      /available must be onHand - reserved - committed - unavailable - safetyStock = 45/,
    );
  });

  it('refuses a StockReceived whose delta is not the quantity received', () => {
    // Prepare
    const event = example('StockReceived');
    event.detail.delta = { onHand: 49 };

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/delta must be \{"onHand":50\}/);
  });

  it('accepts a receipt against a replenishment request, which also takes units out of incoming, and no more', () => {
    // Prepare
    const against = example('StockReceived');
    against.detail.delta = { onHand: 50, incoming: -40 };
    against.detail.level = { ...(against.detail.level as object), incoming: 0 };
    const raising = example('StockReceived');
    raising.detail.delta = { onHand: 50, incoming: 40 };

    // Act
    const parsed = parseDomainEvent(against);
    const message = failureOf(() => parseDomainEvent(raising));

    // Assess
    expect(parsed.detail).toMatchObject({ delta: { onHand: 50, incoming: -40 } });
    expect(message).toMatch(/delta must be \{"onHand":50\}/);
  });

  it('refuses an unblock whose delta blocks', () => {
    // Prepare
    const event = example('StockMoved');
    event.detail.type = 'UNBLOCKED';

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/delta must be \{"unavailable":-3\}/);
  });

  it('accepts a count that confirms the level, with an empty delta', () => {
    // Prepare
    const event = example('StockCounted');
    event.detail.countedOnHand = 48;
    event.detail.delta = {};
    event.detail.level = { ...(event.detail.level as object), onHand: 48, available: 45 };

    // Act
    const parsed = parseDomainEvent(event);

    // Assess
    expect(parsed.detail).toMatchObject({ previousOnHand: 48, countedOnHand: 48, delta: {} });
  });

  it('refuses a StockLow whose available is not below the reorder point', () => {
    // Prepare
    const event = example('StockLow');
    event.detail.available = 10;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/available must be below reorderPoint/);
  });

  it('refuses a StockOut with stock available', () => {
    // Prepare
    const event = example('StockOut');
    event.detail.available = 1;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/detail\.available/);
  });

  it('refuses an extension that does not move the expiry later', () => {
    // Prepare
    const event = example('ReservationExtended');
    event.detail.previousExpiresAt = event.detail.expiresAt;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/expiresAt must be later than previousExpiresAt/);
  });

  it('refuses a status that does not belong to the detail-type', () => {
    // Prepare
    const event = example('ReservationConfirmed');
    event.detail.status = 'HELD';

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/detail\.status/);
  });

  it('refuses a transfer to the same location', () => {
    // Prepare
    const event = example('TransferCompleted');
    (event.detail.to as Record<string, string>).locationId = 'WH-PARIS';

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/from and to must differ/);
  });

  it('refuses a drift report in which nothing differs', () => {
    // Prepare
    const event = example('ReconciliationDriftFound');
    event.detail.actual = event.detail.expected;
    event.detail.eventId = eventIdFor(
      'ReconciliationDriftFound',
      event.detail as DetailOf<'ReconciliationDriftFound'>,
    );

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toMatch(/expected and actual must differ/);
  });

  it.each([
    ['a schemaVersion other than 1', 'schemaVersion', 2],
    ['a fractional quantity', 'quantity', 2.5],
    ['a quantity of zero', 'quantity', 0],
    ['an sku with the key separator #', 'sku', 'SKU#1'],
    ['an occurredAt that is not ISO-8601 UTC', 'occurredAt', '02/03/2026 10:15'],
    ['a reservation id that is not 26 base32 characters', 'reservationId', 'R-1'],
  ])('refuses %s', (_case, fieldName, value) => {
    // Prepare
    const event = example('ReservationReleased');
    event.detail[fieldName] = value;

    // Act
    const message = failureOf(() => parseDomainEvent(event));

    // Assess
    expect(message).toContain(`detail.${fieldName}`);
  });
});

describe('eventIdFor', () => {
  it('gives the same id for the same change, so that a redelivery is recognised', () => {
    // Prepare
    const detail = example('StockAdjusted').detail as DetailOf<'StockAdjusted'>;

    // Act
    const first = eventIdFor('StockAdjusted', detail);
    const again = eventIdFor('StockAdjusted', structuredClone(detail));

    // Assess
    expect(again).toBe(first);
    expect(first).toBe(`StockAdjusted#${detail.movementId}`);
  });

  it('gives distinct ids to the transitions of one hold and to each of its extensions', () => {
    // Prepare
    const confirmed = example('ReservationConfirmed').detail as DetailOf<'ReservationConfirmed'>;
    const released = example('ReservationReleased').detail as DetailOf<'ReservationReleased'>;
    const extended = example('ReservationExtended').detail as DetailOf<'ReservationExtended'>;
    const extendedAgain = { ...extended, expiresAt: '2026-03-02T10:50:00.000Z' };

    // Act
    const ids = [
      eventIdFor('ReservationConfirmed', confirmed),
      eventIdFor('ReservationReleased', released),
      eventIdFor('ReservationExtended', extended),
      eventIdFor('ReservationExtended', extendedAgain),
    ];

    // Assess
    expect(confirmed.reservationId).toBe(released.reservationId);
    expect(new Set(ids).size).toBe(4);
    expect(ids[3]).toBe(`ReservationExtended#${extended.reservationId}#2026-03-02T10:50:00.000Z`);
  });

  it('gives the threshold events of one movement distinct ids', () => {
    // Prepare
    const low = example('StockLow').detail as DetailOf<'StockLow'>;
    const out = { ...(example('StockOut').detail as DetailOf<'StockOut'>), movementId: low.movementId };

    // Act
    const lowId = eventIdFor('StockLow', low);
    const outId = eventIdFor('StockOut', out);

    // Assess
    expect(lowId).not.toBe(outId);
  });
});

describe('consumer patterns of docs/events.md', () => {
  const patterns = documentedConsumerPatterns();

  it('documents a valid event pattern for each consumer', () => {
    // Act
    const names = [...patterns.keys()];

    // Assess
    expect(names).toEqual(['Event log archive', 'Replenishment', 'Live stock', 'Analytics']);
    for (const pattern of patterns.values()) expect(() => validatePattern(pattern)).not.toThrow();
  });

  it('routes StockLow, and only StockLow, to replenishment', () => {
    // Prepare
    const pattern = patterns.get('Replenishment') as EventPattern;

    // Act
    const routed = DETAIL_TYPES.filter((type) => matches(pattern, example(type)));

    // Assess
    expect(routed).toEqual(['StockLow']);
  });

  it("routes to live stock every event that changes a level's figures, and no other", () => {
    // Prepare
    const pattern = patterns.get('Live stock') as EventPattern;

    // Act
    const routed = DETAIL_TYPES.filter((type) => matches(pattern, example(type)));

    // Assess
    expect(routed).toEqual([
      'StockReceived',
      'StockAdjusted',
      'StockMoved',
      'StockCounted',
      'TransferCompleted',
      'ReservationCreated',
      'ReservationConfirmed',
      'ReservationReleased',
      'ReservationExpired',
      'ReservationFulfilled',
      'ReservationCancelled',
      'ReplenishmentRequested',
    ]);
  });

  it('routes every inventory event to the archive and to analytics, and nothing from another source', () => {
    // Prepare
    const archive = patterns.get('Event log archive') as EventPattern;
    const analytics = patterns.get('Analytics') as EventPattern;
    const foreign = { ...example('StockLow'), source: 'orders' };

    // Act
    const archived = DETAIL_TYPES.filter((type) => matches(archive, example(type)));
    const analysed = DETAIL_TYPES.filter((type) => matches(analytics, example(type)));
    const foreignArchived = matches(archive, foreign);

    // Assess
    expect(archived).toEqual([...DETAIL_TYPES]);
    expect(analysed).toEqual([...DETAIL_TYPES]);
    expect(foreignArchived).toBe(false);
  });
});
