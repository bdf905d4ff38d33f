import type { DomainEvent } from './catalogue.js';

/**
 * Where code that produces events outside the stream (reconciliation) sends them. In the cloud it is a
 * PutEvents call on the inventory bus (entries from `toPutEventsEntries`), locally the in-process bus.
 */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<unknown>;
}

/** A publisher that keeps what it is given, for scripts and tests. */
export function collectingPublisher(): EventPublisher & { readonly events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  return {
    events,
    async publish(batch) {
      events.push(...batch);
    },
  };
}

/** One entry of EventBridge's PutEvents request. */
export interface PutEventsEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

/** PutEvents takes at most 10 entries per call. */
export const PUT_EVENTS_BATCH = 10;

/** The PutEvents entries of events, in calls of at most 10 entries. */
export function toPutEventsEntries(events: readonly DomainEvent[], eventBusName: string): PutEventsEntry[][] {
  const entries = events.map((e) => ({
    EventBusName: eventBusName,
    Source: e.source,
    DetailType: e['detail-type'],
    Detail: JSON.stringify(e.detail),
  }));
  const batches: PutEventsEntry[][] = [];
  for (let i = 0; i < entries.length; i += PUT_EVENTS_BATCH)
    batches.push(entries.slice(i, i + PUT_EVENTS_BATCH));
  return batches;
}
