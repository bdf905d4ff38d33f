import type { PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { type DomainEvent, domainEvent } from '../../shared/events/catalogue.js';
import {
  eventBridgePublisher,
  PutEventsFailedError,
  type PutEventsSender,
} from '../../shared/events/eventbridge-publisher.js';

const stockOut = (n: number): DomainEvent =>
  domainEvent('StockOut', {
    schemaVersion: 1,
    occurredAt: '2026-03-02T13:00:00.000Z',
    sku: 'SKU-1001',
    locationId: 'WH-PARIS',
    available: 0,
    movementId: `01JNQ5B0B1C2D3E4F5G6H7J${String(n).padStart(3, '0')}`,
    version: n,
  });

/** A fake EventBridge that records each call's entries and answers with what `answer` says for each entry. */
function fakeEventBridge(answer: (detail: { eventId: string }) => PutEventsResultEntry = () => ({})) {
  const calls: NonNullable<PutEventsCommand['input']['Entries']>[] = [];
  let next = 0;
  const client: PutEventsSender = {
    async send(command) {
      const entries = command.input.Entries ?? [];
      calls.push(entries);
      const results = entries.map((e) => {
        const result = answer(JSON.parse(e.Detail ?? '{}'));
        return result.ErrorCode ? result : { EventId: `id-${next++}` };
      });
      return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
    },
  };
  return { client, calls };
}

describe('the EventBridge publisher', () => {
  it('puts events on the named bus in calls of at most 10 entries, each with its source, detail-type and detail', async () => {
    // Prepare
    const events = Array.from({ length: 23 }, (_, i) => stockOut(i + 1));
    const { client, calls } = fakeEventBridge();

    // Act
    await eventBridgePublisher(client, 'inventory-bus').publish(events);

    // Assess
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.[0]).toEqual({
      EventBusName: 'inventory-bus',
      Source: 'inventory',
      DetailType: 'StockOut',
      Detail: JSON.stringify(events[0]?.detail),
    });
    expect(calls.flat().map((e) => JSON.parse(e.Detail ?? '{}').eventId)).toEqual(
      events.map((e) => e.detail.eventId),
    );
  });

  it('sends every batch, then throws the entries EventBridge refused, naming each event and the reason', async () => {
    // Prepare
    const events = Array.from({ length: 12 }, (_, i) => stockOut(i + 1));
    const refused = new Set([events[2]?.detail.eventId, events[11]?.detail.eventId]);
    const { client, calls } = fakeEventBridge((detail) =>
      refused.has(detail.eventId) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : {},
    );

    // Act
    const publishing = eventBridgePublisher(client, 'inventory-bus').publish(events);

    // Assess
    const error = await publishing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PutEventsFailedError);
    expect((error as PutEventsFailedError).failed).toEqual([
      {
        detailType: 'StockOut',
        eventId: events[2]?.detail.eventId,
        errorCode: 'InternalFailure',
        errorMessage: 'try again',
      },
      {
        detailType: 'StockOut',
        eventId: events[11]?.detail.eventId,
        errorCode: 'InternalFailure',
        errorMessage: 'try again',
      },
    ]);
    expect(calls.map((entries) => entries.length)).toEqual([10, 2]);
  });

  it('makes no call for no events', async () => {
    // Prepare
    const { client, calls } = fakeEventBridge();

    // Act
    await eventBridgePublisher(client, 'inventory-bus').publish([]);

    // Assess
    expect(calls).toEqual([]);
  });
});
