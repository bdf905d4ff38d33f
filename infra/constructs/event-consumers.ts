import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  type IEventBus,
  type IRule,
  type IRuleTarget,
  Rule,
  type RuleTargetConfig,
} from 'aws-cdk-lib/aws-events';
import {
  addToDeadLetterQueueResourcePolicy,
  bindBaseTargetConfig,
  LambdaFunction,
} from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_RULES } from '../../shared/events/rules.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { cdkEventPattern } from './event-log.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface EventConsumersProps {
  readonly bus: IEventBus;
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/** How EventBridge retries delivering to a rule's target before it dead-letters the event. */
export const RULE_TARGET_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(6) } as const;

/**
 * A CloudWatch Logs log group as a rule target, allowed by the log group's own resource policy (a native
 * AWS::Logs::ResourcePolicy). CDK's CloudWatchLogGroup target writes that policy through a custom resource,
 * which would add a Lambda function and a `logs:PutResourcePolicy` on `*` to the stack.
 */
class LogGroupTarget implements IRuleTarget {
  constructor(
    private readonly logGroup: LogGroup,
    private readonly props: { deadLetterQueue: IQueue; retryAttempts: number; maxEventAge: Duration },
  ) {}

  bind(rule: IRule): RuleTargetConfig {
    addToDeadLetterQueueResourcePolicy(rule, this.props.deadLetterQueue);
    this.logGroup.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    return {
      ...bindBaseTargetConfig(this.props),
      arn: Stack.of(this.logGroup).formatArn({
        service: 'logs',
        resource: 'log-group',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        resourceName: this.logGroup.logGroupName,
      }),
      targetResource: this.logGroup,
    };
  }
}

/**
 * The bus's consumers (docs/events.md#consumers), each a rule with the pattern of `EVENT_RULES`:
 * - replenishment: StockLow → the replenishment function, which opens at most one request per level. An event
 *   EventBridge cannot deliver, and an invocation that fails its retries, both end in its dead-letter queue.
 * - analytics: every inventory event → a log group (`aws logs tail` follows the feed), with a dead-letter queue.
 */
export class EventConsumers extends Construct {
  readonly replenishment: ServiceFunction;
  readonly replenishmentRule: Rule;
  readonly replenishmentDlq: DeadLetterQueue;
  readonly analyticsRule: Rule;
  readonly analyticsLogGroup: LogGroup;
  readonly analyticsDlq: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: EventConsumersProps) {
    super(scope, id);

    this.replenishmentDlq = new DeadLetterQueue(this, 'ReplenishmentDlq');
    this.replenishment = new ServiceFunction(this, 'ReplenishmentConsumer', {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      handler: 'replenish-on-stock-low',
      deadLetterQueue: this.replenishmentDlq.queue,
      description: 'Opens a replenishment request for a StockLow level unless one is open',
    });
    // openReplenishmentRequest: one transaction putting the request and the movement and updating shard 0
    // (PutItem, UpdateItem); a repeated StockLow reads the request it already made (GetItem).
    grantTable(this.replenishment.fn, props.table, ['GetItem', 'PutItem', 'UpdateItem']);
    this.replenishmentRule = new Rule(this, `${EVENT_RULES.replenishment.name}Rule`, {
      eventBus: props.bus,
      description: EVENT_RULES.replenishment.description,
      eventPattern: cdkEventPattern(EVENT_RULES.replenishment.pattern),
      targets: [
        new LambdaFunction(this.replenishment.fn, {
          deadLetterQueue: this.replenishmentDlq.queue,
          ...RULE_TARGET_RETRY,
        }),
      ],
    });

    this.analyticsDlq = new DeadLetterQueue(this, 'AnalyticsDlq');
    this.analyticsLogGroup = new LogGroup(this, 'AnalyticsFeed', {
      logGroupName: `/aws/events/${Stack.of(this).stackName}-analytics`,
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.analyticsRule = new Rule(this, `${EVENT_RULES.analytics.name}Rule`, {
      eventBus: props.bus,
      description: EVENT_RULES.analytics.description,
      eventPattern: cdkEventPattern(EVENT_RULES.analytics.pattern),
      targets: [
        new LogGroupTarget(this.analyticsLogGroup, {
          deadLetterQueue: this.analyticsDlq.queue,
          ...RULE_TARGET_RETRY,
        }),
      ],
    });
  }
}
