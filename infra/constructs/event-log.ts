import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, type EventPattern as CdkEventPattern, EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { Construct } from 'constructs';
import type { EventPattern } from '../../shared/events/event-pattern.js';
import { EVENT_RULES, PIPE_SOURCE_BATCH_SIZE, STREAM_FILTER_PATTERNS } from '../../shared/events/rules.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface EventLogProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  readonly archiveRetentionDays: number;
}

/**
 * Our event patterns (shared/events/rules.ts) are written as EventBridge writes them; CDK spells `detail-type`
 * as `detailType` and renders it back.
 */
export function cdkEventPattern(pattern: EventPattern): CdkEventPattern {
  const { 'detail-type': detailType, ...rest } = pattern as Record<string, unknown>;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as CdkEventPattern;
}

/** Failed batches of the Pipe are retried this many times (halved each time) before they are dead-lettered. */
export const PIPE_MAX_RETRY_ATTEMPTS = 10;

/**
 * Where the inventory's domain events come from and are kept (ADR 11, ADR 13): the table's stream feeds an
 * EventBridge Pipe, which keeps the records of `STREAM_FILTER_PATTERNS`, turns each batch into events with the
 * enrichment function (`enrichStreamRecords`), and puts them on the inventory bus; the bus's archive keeps every
 * inventory event for replay. A batch that keeps failing goes to the Pipe's dead-letter queue.
 *
 * The Pipe's role may read that one stream, invoke that one function, put events on that one bus and send to
 * that one queue.
 */
export class EventLog extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly pipe: CfnPipe;
  readonly pipeRole: Role;
  readonly pipeDlq: DeadLetterQueue;
  readonly enrichment: ServiceFunction;

  constructor(scope: Construct, id: string, props: EventLogProps) {
    super(scope, id);
    const streamArn = props.table.tableStreamArn;
    if (!streamArn) throw new Error('the event pipe reads the table stream: enable it on the table');

    this.bus = new EventBus(this, 'Bus', { description: 'Inventory domain events (docs/events.md)' });
    this.archive = new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      eventPattern: cdkEventPattern(EVENT_RULES.eventLogArchive.pattern),
      retention: Duration.days(props.archiveRetentionDays),
      description: EVENT_RULES.eventLogArchive.description,
    });

    this.enrichment = new ServiceFunction(this, 'Enrichment', {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      handler: 'enrich-stream-records',
      timeout: Duration.seconds(30),
      description: "Event pipe's enrichment: turns the table's stream records into domain events",
    });
    // Reads movements and alert items (GetItem) and a sharded level's shards (Query); records a change of a
    // level's alert state (conditional PutItem).
    grantTable(this.enrichment.fn, props.table, ['GetItem', 'Query', 'PutItem']);

    this.pipeDlq = new DeadLetterQueue(this, 'PipeDlq');
    this.pipeRole = new Role(this, 'PipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Runs the inventory event pipe: table stream, enrichment, inventory bus',
    });
    this.pipeRole.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    this.pipeRole.addToPolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    Validations.of(this.pipeRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams supports no resource-level permission (the Pipes docs require it for a DynamoDB source); every stream read action is on this table stream only.',
    });
    this.pipeRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.enrichment.fn.functionArn],
      }),
    );
    this.pipeRole.addToPolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }),
    );
    this.pipeRole.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.pipeDlq.queue.queueArn] }),
    );

    this.pipe = new CfnPipe(this, 'Pipe', {
      description: "The table's stream, filtered and enriched into domain events on the inventory bus",
      roleArn: this.pipeRole.roleArn,
      source: streamArn,
      sourceParameters: {
        filterCriteria: {
          filters: STREAM_FILTER_PATTERNS.map((pattern) => ({ pattern: JSON.stringify(pattern) })),
        },
        dynamoDbStreamParameters: {
          // From the oldest record the stream keeps (24 h): a Pipe created or re-created later misses no change,
          // and what it reads again gives the same events under the same ids (ADR 13).
          startingPosition: 'TRIM_HORIZON',
          batchSize: PIPE_SOURCE_BATCH_SIZE,
          maximumRetryAttempts: PIPE_MAX_RETRY_ATTEMPTS,
          onPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          deadLetterConfig: { arn: this.pipeDlq.queue.queueArn },
        },
      },
      enrichment: this.enrichment.fn.functionArn,
      target: this.bus.eventBusArn,
      targetParameters: {
        // Each element the enrichment returns is `{source, detail-type, detail}`: one event on the bus.
        eventBridgeEventBusParameters: { source: '$.source', detailType: '$.detail-type' },
        inputTemplate: '<$.detail>',
      },
    });
    // The role's policy must exist before the Pipe starts reading and invoking.
    const policy = this.pipeRole.node.tryFindChild('DefaultPolicy');
    if (policy) this.pipe.node.addDependency(policy);
  }
}
