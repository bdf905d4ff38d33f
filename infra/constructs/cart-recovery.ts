import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue.js';
import type { Observability } from './observability.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

/** How often the stuck-cart recovery runs (the local runtime runs it as often). */
export const CART_RECOVERY_EVERY_MINUTES = 2;

export interface CartRecoveryProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /** Its errors and its dead-letter queue alarm like the other background functions'. */
  readonly observability: Observability;
}

/**
 * The stuck-cart recovery (ADR 15): a function run every few minutes by EventBridge Scheduler that finds the carts
 * a crash left in flight (through their sparse list in the `expiry` index) and compensates a stuck saga or
 * finishes a stuck release. It may read carts and holds, query that index, and write what a release writes.
 */
export class CartRecovery extends Construct {
  readonly fn: ServiceFunction;
  readonly dlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: CartRecoveryProps) {
    super(scope, id);
    this.dlq = new DeadLetterQueue(this, 'Dlq');
    this.fn = new ServiceFunction(this, 'Function', {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      deadLetterQueue: this.dlq.queue,
      handler: 'recover-stuck-carts',
      timeout: Duration.minutes(2),
      description: 'Compensates cart sagas and finishes cart releases that a crash left in flight',
    });
    grantTable(this.fn.fn, props.table, ['Query', 'GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], {
      indexes: ['expiry'],
    });
    new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(Duration.minutes(CART_RECOVERY_EVERY_MINUTES)),
      description: 'Runs the stuck-cart recovery',
      target: new LambdaInvoke(this.fn.fn, {
        deadLetterQueue: this.dlq.queue,
        retryAttempts: 2,
        maxEventAge: Duration.minutes(2),
      }),
    });
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.fn.fn.node.defaultChild as never)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes only the stuck-cart recovery function; `:*` covers its versions and aliases.',
    });
    props.observability.watchFunction('CartRecovery', this.fn.fn);
    props.observability.watchDeadLetterQueue('CartRecoveryDlq', this.dlq.queue);
  }
}
