import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../infra/local/pattern-matcher.js';
import { DETAIL_TYPES, type DomainEvent } from '../../shared/events/catalogue.js';
import { PUT_EVENTS_BATCH, toPutEventsEntries } from '../../shared/events/publisher.js';
import {
  EVENT_RULES,
  MAX_EVENTS_PER_RECORD,
  PIPE_SOURCE_BATCH_SIZE,
  STREAM_FILTER_PATTERNS,
} from '../../shared/events/rules.js';
import { documentedConsumerPatterns, documentedExamples } from './docs-examples.js';

describe('the event rules', () => {
  it('are the consumer patterns that docs/events.md documents', () => {
    // Prepare
    const documented = documentedConsumerPatterns();

    // Act
    const rules = Object.values(EVENT_RULES).map((r) => [r.description.split(':')[0], r.pattern]);

    // Assess
    expect(Object.fromEntries(rules)).toEqual(Object.fromEntries(documented));
  });

  it('filter the stream with valid patterns, in batches whose events fit one PutEvents call', () => {
    for (const pattern of STREAM_FILTER_PATTERNS) expect(() => validatePattern(pattern)).not.toThrow();
    expect(STREAM_FILTER_PATTERNS.length).toBeLessThanOrEqual(5);
    expect(PIPE_SOURCE_BATCH_SIZE * MAX_EVENTS_PER_RECORD).toBeLessThanOrEqual(PUT_EVENTS_BATCH);
  });

  it('turn events into PutEvents entries, ten per call', () => {
    // Prepare
    const examples = documentedExamples();
    const events = Array.from({ length: 23 }, (_, i) =>
      examples.get(DETAIL_TYPES[i % DETAIL_TYPES.length] ?? 'StockLow'),
    ) as { detail: unknown }[];

    // Act
    const batches = toPutEventsEntries(events as unknown as DomainEvent[], 'inventory-bus');

    // Assess
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches[0]?.[0]).toEqual({
      EventBusName: 'inventory-bus',
      Source: 'inventory',
      DetailType: 'StockReceived',
      Detail: JSON.stringify(events[0]?.detail),
    });
  });
});
