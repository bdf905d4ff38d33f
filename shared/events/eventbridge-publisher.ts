import { PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from './catalogue.js';
import { type EventPublisher, toPutEventsEntries } from './publisher.js';

/** What the publisher needs of an EventBridgeClient: sending a PutEvents command. */
export interface PutEventsSender {
  send(command: PutEventsCommand): Promise<Pick<PutEventsCommandOutput, 'FailedEntryCount' | 'Entries'>>;
}

/** One event that EventBridge refused, with the reason it gave. */
export interface FailedEntry {
  readonly detailType: string;
  readonly eventId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** Some events were not put on the bus; the caller fails, so that its own retry publishes them again. */
export class PutEventsFailedError extends Error {
  constructor(readonly failed: readonly FailedEntry[]) {
    super(
      `EventBridge refused ${failed.length} event(s): ${failed
        .map((f) => `${f.eventId} (${f.errorCode}: ${f.errorMessage})`)
        .join('; ')}`,
    );
    this.name = 'PutEventsFailedError';
  }
}

/**
 * Publishes events on the inventory bus with PutEvents, in calls of at most 10 entries. PutEvents answers 200
 * even when some entries fail: each call's `FailedEntryCount` is checked, every batch is still sent, and then
 * the failed entries are thrown together (PutEventsFailedError). Events carry stable ids, so publishing them
 * again on a retry is harmless to consumers.
 */
export function eventBridgePublisher(client: PutEventsSender, eventBusName: string): EventPublisher {
  return {
    async publish(events: readonly DomainEvent[]) {
      const failed: FailedEntry[] = [];
      let offset = 0;
      for (const entries of toPutEventsEntries(events, eventBusName)) {
        const answer = await client.send(new PutEventsCommand({ Entries: entries }));
        if (answer.FailedEntryCount) {
          entries.forEach((entry, i) => {
            const result = answer.Entries?.[i];
            if (result?.EventId) return;
            const event = events[offset + i];
            failed.push({
              detailType: entry.DetailType,
              eventId: event?.detail.eventId ?? 'unknown',
              errorCode: result?.ErrorCode ?? 'Unknown',
              errorMessage: result?.ErrorMessage ?? 'no result for this entry',
            });
          });
        }
        offset += entries.length;
      }
      if (failed.length) throw new PutEventsFailedError(failed);
      return { published: events.length };
    },
  };
}
