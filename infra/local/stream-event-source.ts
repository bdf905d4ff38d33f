import { randomUUID } from 'node:crypto';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { loadFunction, localLambdaContext } from './lambda-context.js';
import type { LocalService } from './local-service.js';
import { type EventPattern, matches } from './pattern-matcher.js';
import { type StreamPoller, startStreamPoller } from './stream-poller.js';

export interface StreamEventSourceOptions {
  readonly name: string;
  /** The Lambda entry point, relative to the repository root (the file the stack deploys). */
  readonly handler: string;
  /** The event source mapping's filter pattern: the same constant the stack deploys. */
  readonly filter: EventPattern;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly region?: string;
  /** Where the mapping starts reading: LATEST (the default) or TRIM_HORIZON (what the stream still holds). */
  readonly startAt?: 'TRIM_HORIZON' | 'LATEST';
}

/**
 * A Lambda event source mapping on a DynamoDB stream, on a laptop: reads the table's stream, keeps the records
 * that match the mapping's filter (evaluated with the project's EventBridge pattern matcher, as Lambda evaluates
 * filters), and invokes the function's handler with them. A batch whose handler reports item failures is
 * delivered again, as the deployed mapping retries them.
 */
export class StreamEventSource implements LocalService {
  readonly name: string;
  private poller: StreamPoller | null = null;

  constructor(private readonly options: StreamEventSourceOptions) {
    this.name = options.name;
  }

  async start(): Promise<void> {
    const handler = await loadFunction<DynamoDBStreamEvent, DynamoDBBatchResponse | undefined>(
      this.options.handler,
    );
    const { filter, name } = this.options;
    this.poller = await startStreamPoller({
      clientConfig: {
        endpoint: this.options.dynamoEndpoint,
        region: this.options.region ?? 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      },
      tableName: this.options.tableName,
      startAt: this.options.startAt ?? 'LATEST',
      onRecords: async (records: DynamoDBRecord[]) => {
        const kept = records.filter((record) => matches(filter, record));
        if (kept.length === 0) return;
        const result = await handler({ Records: kept }, localLambdaContext(name, randomUUID()));
        if (result?.batchItemFailures.length)
          throw new Error(`${name}: ${result.batchItemFailures.length} records failed`);
      },
      onFailure: (_records, error) => console.error(`${name}: gave up on a batch`, error),
    });
  }

  /** Waits until every record written so far has been delivered. */
  async drain(): Promise<void> {
    await this.poller?.drain();
  }

  async stop(): Promise<void> {
    await this.poller?.stop();
    this.poller = null;
  }
}
