import { createHash, randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventPublisher } from '../../shared/events/publisher.js';
import { type Clock, systemClock } from '../../shared/kernel/clock.js';
import { type EventPattern, matches, validatePattern } from './pattern-matcher.js';

/**
 * An in-process stand-in for the inventory's EventBridge bus: it wraps published events in EventBridge's
 * envelope, routes each to the rules whose pattern matches (the same patterns as the stack's, evaluated by the
 * project's matcher), delivers at least once with retries, keeps what could not be delivered in a dead-letter
 * list, remembers the latest events for a developer to watch (`GET /events`), and can append every event to a
 * JSON-lines log file. Like EventBridge, it does not de-duplicate: consumers de-duplicate on `detail.eventId`.
 * Unlike EventBridge (a fresh id per PutEvents), an event's envelope `id` is derived from its `detail.eventId`,
 * so the same stream record replayed after a restart shows up in the feed with the same id.
 */

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** What may be published: the fields of a PutEvents entry, as an event. */
export interface PublishableEvent {
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
  readonly time?: string;
  readonly resources?: readonly string[];
}

export type BusTarget = (event: BusEvent) => unknown;

export interface BusRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: BusTarget;
}

export interface DeadLetter {
  readonly rule: string;
  readonly event: BusEvent;
  readonly error: string;
  readonly attempts: number;
  readonly at: string;
}

export interface PublishResult {
  readonly events: readonly BusEvent[];
  /** Rule deliveries that succeeded (after retries). */
  readonly delivered: number;
  /** Deliveries that kept failing, now in the dead-letter list. */
  readonly deadLettered: readonly DeadLetter[];
}

export interface EventBusOptions {
  readonly rules?: readonly BusRule[];
  /** How many of the latest events `history()` keeps. */
  readonly historySize?: number;
  /** Append every published event to this file, one JSON object per line. */
  readonly logFile?: string;
  /** Attempts per rule delivery before it is dead-lettered (EventBridge's retry policy, in miniature). */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** How many dead letters are kept (the oldest are dropped). */
  readonly deadLetterSize?: number;
  readonly clock?: Clock;
  readonly account?: string;
  readonly region?: string;
}

export interface HistoryQuery {
  readonly detailType?: string;
  /** Only events published after the event with this id (for polling). */
  readonly after?: string;
  readonly limit?: number;
}

export interface LocalEventBus extends EventPublisher {
  publish(events: readonly PublishableEvent[]): Promise<PublishResult>;
  /** Adds a rule; its pattern is validated now, as EventBridge validates a rule when it is created. */
  addRule(rule: BusRule): void;
  rules(): readonly { name: string; pattern: EventPattern }[];
  /** The latest events, oldest first. */
  history(query?: HistoryQuery): BusEvent[];
  deadLetters(): DeadLetter[];
  /** Calls `listener` with every event published from now on; returns the unsubscribe function. */
  subscribe(listener: (event: BusEvent) => void): () => void;
}

/**
 * A UUID derived from the event's source, detail-type and `detail.eventId` (itself derived from the stream
 * record's stable parts: the movement, the level version...), or a random one for an event without an eventId.
 */
export function envelopeId(event: PublishableEvent): string {
  const detail = event.detail as { eventId?: unknown } | null;
  if (typeof detail?.eventId !== 'string') return randomUUID();
  const hex = createHash('sha256')
    .update(`${event.source}\n${event['detail-type']}\n${detail.eventId}`)
    .digest('hex');
  // Shaped as an RFC 9562 version 8 (custom) UUID, like the random ones EventBridge gives.
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createEventBus(options: EventBusOptions = {}): LocalEventBus {
  const clock = options.clock ?? systemClock;
  const historySize = options.historySize ?? 1_000;
  const deadLetterSize = options.deadLetterSize ?? 1_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 25;
  const rules: BusRule[] = [];
  const recent: BusEvent[] = [];
  const dead: DeadLetter[] = [];
  const listeners = new Set<(event: BusEvent) => void>();
  let logReady: Promise<unknown> | null = null;

  const addRule = (rule: BusRule) => {
    validatePattern(rule.pattern);
    if (rules.some((r) => r.name === rule.name)) throw new Error(`a rule named ${rule.name} exists already`);
    rules.push(rule);
  };
  for (const rule of options.rules ?? []) addRule(rule);

  const envelope = (e: PublishableEvent): BusEvent => ({
    version: '0',
    id: envelopeId(e),
    'detail-type': e['detail-type'],
    source: e.source,
    account: options.account ?? '000000000000',
    time: e.time ?? new Date(clock.now()).toISOString(),
    region: options.region ?? 'local',
    resources: e.resources ?? [],
    detail: e.detail,
  });

  async function log(events: readonly BusEvent[]): Promise<void> {
    const file = options.logFile;
    if (!file || events.length === 0) return;
    logReady ??= mkdir(dirname(file), { recursive: true });
    await logReady;
    await appendFile(file, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  /** Delivers one event to one rule's target, at least once: retried until it succeeds or attempts run out. */
  async function deliver(rule: BusRule, event: BusEvent): Promise<DeadLetter | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        await rule.target(event);
        return null;
      } catch (error) {
        if (attempt >= maxAttempts) {
          return {
            rule: rule.name,
            event,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            attempts: attempt,
            at: new Date(clock.now()).toISOString(),
          };
        }
        await sleep(retryDelayMs * attempt);
      }
    }
  }

  return {
    addRule,
    rules: () => rules.map(({ name, pattern }) => ({ name, pattern })),

    async publish(published) {
      const events = published.map(envelope);
      for (const event of events) {
        recent.push(event);
        for (const listener of listeners) {
          try {
            listener(event);
          } catch {
            // a watcher's failure never stops the bus
          }
        }
      }
      recent.splice(0, Math.max(0, recent.length - historySize));
      await log(events);
      let delivered = 0;
      const deadLettered: DeadLetter[] = [];
      // Events in the order published; the rules an event matches, in parallel (as EventBridge fans out).
      for (const event of events) {
        const outcomes = await Promise.all(
          rules.filter((rule) => matches(rule.pattern, event)).map((rule) => deliver(rule, event)),
        );
        for (const outcome of outcomes) {
          if (outcome) deadLettered.push(outcome);
          else delivered++;
        }
      }
      dead.push(...deadLettered);
      dead.splice(0, Math.max(0, dead.length - deadLetterSize));
      return { events, delivered, deadLettered };
    },

    history(query = {}) {
      let events = recent;
      if (query.after !== undefined) {
        const index = events.findIndex((e) => e.id === query.after);
        events = index === -1 ? events : events.slice(index + 1);
      }
      if (query.detailType !== undefined)
        events = events.filter((e) => e['detail-type'] === query.detailType);
      if (query.limit === undefined) return [...events];
      return query.limit > 0 ? events.slice(-query.limit) : [];
    },

    deadLetters: () => [...dead],

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
