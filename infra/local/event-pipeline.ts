import type { DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DomainEvent } from '../../shared/events/catalogue.js';
import { EVENT_RULES, STREAM_FILTER_PATTERNS } from '../../shared/events/rules.js';
import { enrichStreamRecords } from '../../shared/events/use-cases/enrich-stream-records.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';
import { replenishOnStockLow } from '../../shared/replenishment/use-cases/replenish-on-stock-low.js';
import { createEventBus, type EventBusOptions, type LocalEventBus } from './event-bus.js';
import { matches } from './pattern-matcher.js';
import { type StreamPoller, startStreamPoller } from './stream-poller.js';

/**
 * The local mirror of the cloud's event pipeline: DynamoDB Local's stream, polled like a Pipe's source →
 * the Pipe's filter (`passesStreamFilter`) and enrichment (`enrichStreamRecords`, the same function the cloud's enrichment Lambda
 * runs) → the in-process bus → the consumers its rules route to (replenishment). A start/stop service for the
 * local runtime, usable in-process from tests against the test run's DynamoDB Local.
 */

/** Whether a stream record passes the Pipe's filter (STREAM_FILTER_PATTERNS), evaluated as the Pipe does. */
export function passesStreamFilter(record: DynamoDBRecord): boolean {
  return STREAM_FILTER_PATTERNS.some((pattern) => matches(pattern, record));
}

export type RecordHandler = (records: DynamoDBRecord[]) => Promise<void>;

export interface EventPipelineOptions {
  readonly streamClientConfig: DynamoDBStreamsClientConfig;
  readonly tableName: string;
  /** The store the enrichment reads and writes, and the consumers' dependencies. */
  readonly deps: UseCaseDeps;
  /** The bus to publish to; one is created (with `busOptions`) when absent. */
  readonly bus?: LocalEventBus;
  readonly busOptions?: EventBusOptions;
  /** Where the stream is read from: LATEST (the default) sees changes from now on, TRIM_HORIZON all of it. */
  readonly startAt?: 'TRIM_HORIZON' | 'LATEST';
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /** Register the consumers of EVENT_RULES on the bus (replenishment). True by default. */
  readonly consumers?: boolean;
  /** Wraps the delivery of each batch of records, e.g. to deliver every batch twice in a test. */
  readonly wrapDelivery?: (deliver: RecordHandler) => RecordHandler;
  /** A batch that kept failing (after the poller's retries), like a Pipe's dead-letter queue. */
  readonly onFailure?: (records: DynamoDBRecord[], error: unknown) => void;
}

export interface EventPipeline {
  readonly bus: LocalEventBus;
  /** Processes until a full pass over the stream finds nothing new (consumers' own writes included). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export async function startEventPipeline(options: EventPipelineOptions): Promise<EventPipeline> {
  const bus = options.bus ?? createEventBus(options.busOptions);
  if (options.consumers ?? true) {
    bus.addRule({
      name: EVENT_RULES.replenishment.name,
      pattern: EVENT_RULES.replenishment.pattern,
      target: replenishOnStockLow(options.deps),
    });
  }
  const deliver: RecordHandler = async (records) => {
    const events: DomainEvent[] = await enrichStreamRecords(options.deps, records.filter(passesStreamFilter));
    await bus.publish(events);
  };
  const poller: StreamPoller = await startStreamPoller({
    clientConfig: options.streamClientConfig,
    tableName: options.tableName,
    startAt: options.startAt ?? 'LATEST',
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    onRecords: options.wrapDelivery ? options.wrapDelivery(deliver) : deliver,
    ...(options.onFailure ? { onFailure: options.onFailure } : {}),
  });
  return { bus, drain: () => poller.drain(), stop: () => poller.stop() };
}

/** The pipeline as a service of the local runtime: `start()` once, `stop()` on shutdown. */
export function eventPipelineService(options: EventPipelineOptions) {
  let running: EventPipeline | null = null;
  return {
    name: 'event-pipeline',
    async start(): Promise<EventPipeline> {
      running ??= await startEventPipeline(options);
      return running;
    },
    async stop(): Promise<void> {
      const pipeline = running;
      running = null;
      await pipeline?.stop();
    },
    /** The running pipeline's bus (for `GET /events`), or null before start. */
    bus: (): LocalEventBus | null => running?.bus ?? null,
    /** Processes what the stream holds so far (nothing before start). */
    drain: async (): Promise<void> => {
      await running?.drain();
    },
  };
}
