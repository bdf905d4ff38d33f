import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { EVENT_BUS_NAME } from '../../shared/platform/runtime/environment.js';
import {
  RECONCILE_KEY_PREFIX,
  SHARD_REGISTRY_KEY_PREFIX,
  SKU_KEY_PREFIX,
} from '../../shared/platform/store/keys.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface ReconciliationProps {
  readonly table: ITableV2;
  readonly bus: IEventBus;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  readonly everyHours: number;
}

/**
 * Reconciliation on a schedule: every level shard's counters against its checkpoint and the replay of the ledger
 * after it (ADR 32), a ReconciliationDriftFound on the bus for each drift, and the repair of the registry of
 * sharded levels (ADR 43). The function may read the table, write its own checkpoints (partition keys
 * `RECONCILE#...` only: it never changes stock), update registry entries (`SHARDED#...`) only in a transaction,
 * whose only other item is a condition check of a level's shard 0, and put events on the bus.
 */
export class Reconciliation extends Construct {
  readonly fn: ServiceFunction;
  readonly dlq: DeadLetterQueue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    this.dlq = new DeadLetterQueue(this, 'Dlq');
    this.fn = new ServiceFunction(this, 'Reconcile', {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      handler: 'reconcile-levels',
      memoryMb: 1024,
      timeout: Duration.minutes(15),
      deadLetterQueue: this.dlq.queue,
      description:
        "Reconciles every level's counters with its ledger and reports drift; never changes stock; repairs the shard registry",
    });
    // A paginated Scan for the level shards, a Query of each shard's ledger, consistent reads of the shard.
    grantTable(this.fn.fn, props.table, ['Scan', 'Query', 'GetItem']);
    // Its own checkpoints and scan position (ADR 32), and nothing else: PutItem only on partition keys
    // `RECONCILE#...`, which no stock item has. It never changes stock.
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RECONCILE_KEY_PREFIX}*`] } },
      }),
    );
    // The repair of the registry of sharded levels (ADR 43): a registry entry set in one transaction with a
    // check of the level's shard 0 (which it never writes), and in no other way.
    const inTransactions = { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] };
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SHARD_REGISTRY_KEY_PREFIX}*`] },
          'ForAnyValue:StringEquals': inTransactions,
        },
      }),
    );
    this.fn.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:ConditionCheckItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SKU_KEY_PREFIX}*`] },
          'ForAnyValue:StringEquals': inTransactions,
        },
      }),
    );
    this.fn.fn.addEnvironment(EVENT_BUS_NAME, props.bus.eventBusName);
    props.bus.grantPutEventsTo(this.fn.fn);

    this.schedule = new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(Duration.hours(props.everyHours)),
      description: 'Runs the reconciliation of levels against their ledgers',
      target: new LambdaInvoke(this.fn.fn, {
        deadLetterQueue: this.dlq.queue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    });
    const stack = Stack.of(this);
    Validations.of(stack).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.fn.fn.node.defaultChild as never)}.Arn>:*]`,
      reason:
        'EventBridge Scheduler invokes only the reconciliation function; `:*` covers its versions and aliases.',
    });
  }
}
