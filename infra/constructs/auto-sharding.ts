import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface AutoShardingProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/** The automatic sharding job (ADR 30), run every minute by EventBridge Scheduler. */
export class AutoSharding extends Construct {
  readonly fn: ServiceFunction;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: AutoShardingProps) {
    super(scope, id);
    this.dlq = new DeadLetterQueue(this, 'Dlq');
    this.fn = new ServiceFunction(this, 'AutoShard', {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      deadLetterQueue: this.dlq.queue,
      handler: 'auto-shard-levels',
      timeout: Duration.minutes(1),
      description: 'Splits contended stock levels into shards and merges quiet ones back',
    });
    grantTable(this.fn.fn, props.table, ['Query', 'GetItem', 'PutItem', 'UpdateItem'], {
      indexes: ['expiry'],
    });
    new Schedule(this, 'EveryMinute', {
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      description: 'Runs the automatic sharding job',
      target: new LambdaInvoke(this.fn.fn, {
        deadLetterQueue: this.dlq.queue,
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.fn.fn.node.defaultChild as never)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes only the auto-sharding function; `:*` covers its versions and aliases.',
    });
  }
}
