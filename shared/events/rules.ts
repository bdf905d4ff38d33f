import { EVENT_SOURCE } from './catalogue.js';
import type { EventPattern } from './event-pattern.js';

/**
 * The one set of event-routing definitions: the filter of the stream records worth turning into events (the
 * EventBridge Pipe's filter in the cloud, the local pipeline's locally), and the rules that route events on
 * the bus to their consumers. Patterns as data only: the CDK stack deploys them, and the local runtime evaluates
 * them with its event-pattern matcher (infra/local/pattern-matcher.ts). See docs/events.md.
 */

/**
 * The stream records that the enrichment turns into events: writes of a level (stock changes), a reservation
 * (its transitions), a level's alert state (threshold events), and the opening of a replenishment request.
 * Ledger entries, idempotency records, holder counters and locations never become events by themselves (a
 * movement is read by the enrichment of its level's record). One pattern per Pipe filter
 * (`FilterCriteria.Filters[].Pattern`, JSON-encoded); a record passes when any pattern matches.
 */
export const STREAM_FILTER_PATTERNS: readonly EventPattern[] = [
  {
    eventName: ['INSERT', 'MODIFY'],
    dynamodb: { NewImage: { kind: { S: ['Level', 'Reservation', 'LevelAlert'] } } },
  },
  {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { kind: { S: ['Replenishment'] }, status: { S: ['OPEN'] } } },
  },
];

/**
 * Events per stream record at most (a level's alert record gives StockLow and StockOut at once), and so the
 * largest source batch of the Pipe whose enriched batch still fits one PutEvents call to its event-bus target
 * (10 entries): a Pipe does not invoke a target with a larger batch than the target takes.
 */
export const MAX_EVENTS_PER_RECORD = 2;
export const PIPE_SOURCE_BATCH_SIZE = Math.floor(10 / MAX_EVENTS_PER_RECORD);

export interface EventRule {
  /** A stable name: the rule's logical id in the stack, the rule's name on the local bus. */
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

/** Every inventory event: what the bus's archive keeps (replayable), and what analytics receives. */
export const ALL_INVENTORY_EVENTS: EventPattern = { source: [EVENT_SOURCE] };

/** The consumers of docs/events.md#consumers, by name. A test checks they are the documented patterns. */
export const EVENT_RULES = {
  eventLogArchive: {
    name: 'EventLogArchive',
    description: 'Event log archive: every inventory event, kept for audit and replay.',
    pattern: ALL_INVENTORY_EVENTS,
  },
  replenishment: {
    name: 'Replenishment',
    description: 'Replenishment: StockLow opens a replenishment request for the level unless one is open.',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['StockLow'] },
  },
  liveStock: {
    name: 'LiveStock',
    description:
      "Live stock: every change of a level's figures, pushed to the WebSocket subscribers of its SKU and level (docs/live.md).",
    pattern: {
      source: [EVENT_SOURCE],
      'detail-type': [
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
      ],
    },
  },
  analytics: {
    name: 'Analytics',
    description: 'Analytics: every inventory event (sales velocity, expired holds, stock-outs, drift).',
    pattern: ALL_INVENTORY_EVENTS,
  },
} as const satisfies Record<string, EventRule>;
