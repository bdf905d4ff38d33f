import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { LEVEL_CHANGE_FILTER } from '../../shared/changes/streams/level-change-filter.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';

export interface ChangeFeedProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/** How many stream records the feed's writer takes per invocation (it appends them in chunks of 49). */
export const CHANGE_FEED_BATCH_SIZE = 100;
/** Retries of a failing batch before it is dead-lettered (the stream keeps records 24 hours). */
export const CHANGE_FEED_RETRY_ATTEMPTS = 50;
/** The writer's iterator age that alarms: the feed is this far behind the table. */
export const CHANGE_FEED_MAX_LAG = Duration.minutes(5);

/** Which items a function may touch, by partition key prefix (`dynamodb:LeadingKeys`). */
const leadingKeys = (prefixes: readonly string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) },
});

/**
 * The change feed and the analytics aggregates (docs/decisions/0024, 0025): one function on the table's stream,
 * level writes only (LEVEL_CHANGE_FILTER), that appends them to the feed in stream order per level shard, then
 * brings the aggregates up to the feed's head. One mapping, not two: DynamoDB advises at most two readers per
 * stream shard, and the Pipe and the TTL backstop already read this stream. It reads from the stream's oldest
 * record (a new or re-created mapping misses nothing; what it sees again is a no-op), retries a failing batch in
 * order, then sends its description to a dead-letter queue. It may touch only the items it reads and writes
 * (partition key prefixes), with the actions it uses.
 */
export class ChangeFeed extends Construct {
  readonly writer: ServiceFunction;
  readonly writerDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ChangeFeedProps) {
    super(scope, id);
    const common = {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
    };
    const table = props.table;

    this.writer = new ServiceFunction(this, 'Writer', {
      ...common,
      handler: 'write-change-feed',
      timeout: Duration.minutes(5),
      description: 'Appends every change to levels to the change feed, in stream order, and aggregates it',
    });
    // Reads: movements, the feed, the aggregates and locations (for their regions). Writes: the feed and the
    // aggregates only.
    this.writer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: leadingKeys(['LEDGER#', 'CHANGES#', 'ANALYTICS#', 'LOCATIONS']),
      }),
    );
    this.writer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(['CHANGES#']),
      }),
    );
    this.writer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(['CHANGES#', 'ANALYTICS#']),
      }),
    );
    this.writerDlq = new DeadLetterQueue(this, 'WriterDlq');
    this.writer.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: CHANGE_FEED_BATCH_SIZE,
        retryAttempts: CHANGE_FEED_RETRY_ATTEMPTS,
        bisectBatchOnError: false,
        reportBatchItemFailures: true,
        parallelizationFactor: 1,
        onFailure: new SqsDlq(this.writerDlq.queue),
        filters: [FilterCriteria.filter(LEVEL_CHANGE_FILTER as unknown as Record<string, unknown>)],
      }),
    );
  }
}
