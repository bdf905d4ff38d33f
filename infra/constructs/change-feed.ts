import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { FEED_HEAD_FILTER, LEVEL_CHANGE_FILTER } from '../../shared/changes/streams/level-change-filter.js';
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
 * The change feed and the analytics aggregates (docs/decisions/0024, 0025), both fed by the table's stream:
 * - the writer: level writes (LEVEL_CHANGE_FILTER) → feed entries, in stream order per level shard;
 * - the aggregation: woken by the feed's head moving (FEED_HEAD_FILTER), it aggregates the feed from its own
 *   position.
 * Each reads from the stream's oldest record (a new or re-created mapping misses nothing; what it sees again is
 * a no-op), retries a failing batch in order, then sends its description to a dead-letter queue. Each may touch
 * only its own items (partition key prefixes), with the actions it uses.
 */
export class ChangeFeed extends Construct {
  readonly writer: ServiceFunction;
  readonly writerDlq: DeadLetterQueue;
  readonly aggregation: ServiceFunction;
  readonly aggregationDlq: DeadLetterQueue;

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
      timeout: Duration.minutes(1),
      description: 'Appends every change to levels to the change feed, in stream order',
    });
    this.writer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(['LEDGER#', 'CHANGES#']),
      }),
    );
    this.writer.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(['CHANGES#']),
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

    this.aggregation = new ServiceFunction(this, 'Aggregation', {
      ...common,
      handler: 'aggregate-changes',
      timeout: Duration.minutes(5),
      description: 'Aggregates the change feed per location and region, per hour',
    });
    this.aggregation.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: leadingKeys(['CHANGES#', 'ANALYTICS#', 'LOCATIONS']),
      }),
    );
    this.aggregation.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(['ANALYTICS#']),
      }),
    );
    this.aggregationDlq = new DeadLetterQueue(this, 'AggregationDlq');
    this.aggregation.fn.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: 20,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.aggregationDlq.queue),
        filters: [FilterCriteria.filter(FEED_HEAD_FILTER as unknown as Record<string, unknown>)],
      }),
    );
  }
}
