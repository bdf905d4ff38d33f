import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { PURGED_HOLD_FILTER } from '../../shared/holds/streams/purged-holds.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface HoldExpiryProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  readonly sweepEveryMinutes: number;
}

/**
 * Holds that expire on time and never strand stock: a sweeper run every minute by EventBridge Scheduler, and
 * the TTL backstop fed by the table's stream (only TTL deletions of held reservations pass its filter).
 */
export class HoldExpiry extends Construct {
  readonly sweeper: ServiceFunction;
  readonly backstop: ServiceFunction;
  readonly sweeperDlq: DeadLetterQueue;
  readonly backstopDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: HoldExpiryProps) {
    super(scope, id);
    const common = {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
    };

    this.sweeperDlq = new DeadLetterQueue(this, 'SweeperDlq');
    this.sweeper = new ServiceFunction(this, 'Sweeper', {
      ...common,
      deadLetterQueue: this.sweeperDlq.queue,
      handler: 'sweep-expired-holds',
      timeout: Duration.minutes(5),
      description: 'Releases expired holds, in bounded batches',
    });
    grantTable(this.sweeper.fn, props.table, ['Query', 'GetItem', 'PutItem', 'UpdateItem'], {
      indexes: ['expiry'],
    });
    new Schedule(this, 'EveryMinute', {
      schedule: ScheduleExpression.rate(Duration.minutes(props.sweepEveryMinutes)),
      description: 'Runs the expired-hold sweeper',
      target: new LambdaInvoke(this.sweeper.fn, {
        deadLetterQueue: this.sweeperDlq.queue,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(2),
      }),
    });

    this.backstop = new ServiceFunction(this, 'TtlBackstop', {
      ...common,
      handler: 'release-purged-holds',
      timeout: Duration.seconds(30),
      description: 'Returns the stock of held reservations deleted by DynamoDB TTL',
    });
    grantTable(this.backstop.fn, props.table, ['PutItem', 'UpdateItem']);
    // The scheduler target's generated role may invoke the sweeper function and its versions (`<arn>:*`).
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.sweeper.fn.node.defaultChild as never)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes only the sweeper function; `:*` covers its versions and aliases.',
    });
    this.backstopDlq = new DeadLetterQueue(this, 'TtlBackstopDlq');
    this.backstop.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.backstopDlq.queue),
        filters: [FilterCriteria.filter(PURGED_HOLD_FILTER as unknown as Record<string, unknown>)],
      }),
    );
  }
}
