import { Annotations, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AlarmThresholds } from '../config.js';

export interface ObservabilityProps {
  readonly thresholds: AlarmThresholds;
  /** Who gets every alarm, by e-mail (the environment's `alarmEmails`). */
  readonly alarmEmails: readonly string[];
  /** Where the functions publish their custom metrics (the environment's own: `metricsNamespace`). */
  readonly metricsNamespace: string;
  /** The alarm topic of another stack to send to (ADR 16: the stateful stack owns it); else this creates it. */
  readonly topic?: ITopic;
}

/**
 * Alarms and a dashboard. Other constructs register what they want watched (functions, dead-letter queues,
 * custom metrics); every alarm goes to one encrypted topic, which CloudWatch may publish to and the
 * environment's addresses subscribe to. One per stack (alarms live next to what they watch), all sending to the
 * topic of the stateful stack's.
 */
export class Observability extends Construct {
  readonly topic: ITopic;
  readonly dashboard: Dashboard;
  private readonly thresholds: AlarmThresholds;
  private readonly metricsNamespace: string;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.thresholds = props.thresholds;
    this.metricsNamespace = props.metricsNamespace;
    this.topic = props.topic ?? this.createTopic(props.alarmEmails);
    this.action = new SnsAction(this.topic);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
  }

  private createTopic(alarmEmails: readonly string[]): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the alarm topic',
    });
    const topic = new Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    this.allowCloudWatchToPublish(topic, key);
    for (const address of alarmEmails) {
      const subscription = topic.addSubscription(new EmailSubscription(address));
      Validations.of(subscription).acknowledge({
        id: 'Serverless::Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail that SNS fails to deliver after its retries has no one else to go to: a queue of undelivered alarms would be read by no one (its own alarm would go to this same topic).',
      });
    }
    if (alarmEmails.length === 0) {
      Annotations.of(topic).addWarningV2(
        'inventory:alarm-topic-without-subscriber',
        'No one receives the alarms: name the addresses in infra/config.ts (alarmEmails) or with -c alarmEmail=a@example.com,b@example.com',
      );
    }
    return topic;
  }

  /**
   * CloudWatch publishes an alarm as the service itself: it needs the topic's policy to let it publish and the
   * key's policy to let it encrypt, both only for alarms of this account and region (no confused deputy).
   */
  private allowCloudWatchToPublish(topic: Topic, key: Key): void {
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const ownAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        effect: Effect.ALLOW,
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: ownAlarms,
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncrypt',
        effect: Effect.ALLOW,
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: ownAlarms,
      }),
    );
  }

  /**
   * Errors and throttles of a function. `errors: false` for a function whose errors are expected outcomes (a
   * saga step reports a line short of stock by failing), which its state machine's alarms cover instead.
   */
  watchFunction(id: string, fn: IFunction, options: { errors?: boolean } = {}): void {
    if (options.errors ?? true)
      this.alarm(`${id}Errors`, fn.metricErrors({ period: Duration.minutes(5) }), 1, `${id} failed`);
    this.alarm(
      `${id}Throttles`,
      fn.metricThrottles({ period: Duration.minutes(5) }),
      this.thresholds.functionThrottles,
      `${id} was throttled`,
    );
  }

  /** Any message left in a dead-letter queue is an alarm. */
  watchDeadLetterQueue(id: string, queue: IQueue): void {
    this.alarm(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      this.thresholds.dlqDepth,
      `${id} has failed messages`,
    );
  }

  /** The API's server errors and tail latency. */
  watchApi(api: HttpApi): void {
    this.alarm(
      'Api5xx',
      api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      this.thresholds.api5xxCount,
      'the API answers 5xx',
    );
    this.alarm(
      'ApiLatencyP99',
      api.metricLatency({ period: Duration.minutes(5), statistic: 'p99' }),
      this.thresholds.apiP99LatencyMs,
      'the API is slow at the 99th percentile',
    );
  }

  /**
   * A state machine's executions: failed ones beyond the threshold (a saga also fails, cleanly, when a cart is
   * short of stock), and any timed out, throttled or aborted one.
   */
  watchStateMachine(id: string, stateMachine: StateMachine): void {
    const period = Duration.minutes(5);
    this.alarm(
      `${id}ExecutionsFailed`,
      stateMachine.metricFailed({ period, statistic: 'Sum' }),
      this.thresholds.cartSagaFailures,
      `${id} executions fail more than usual`,
    );
    this.alarm(
      `${id}ExecutionsTimedOut`,
      stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      1,
      `${id} executions time out`,
    );
    this.alarm(
      `${id}ExecutionsThrottled`,
      stateMachine.metricThrottled({ period, statistic: 'Sum' }),
      1,
      `${id} executions are throttled`,
    );
    this.alarm(
      `${id}ExecutionsAborted`,
      stateMachine.metricAborted({ period, statistic: 'Sum' }),
      1,
      `${id} executions are aborted`,
    );
  }

  /** A Pipe whose executions fail: a batch is being retried, bisected, and may be dead-lettered. */
  watchPipe(id: string, pipeName: string): void {
    const metric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/EventBridge/Pipes',
        metricName,
        dimensionsMap: { PipeName: pipeName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    this.alarm(`${id}ExecutionFailed`, metric('ExecutionFailed'), 1, `${id} executions fail`);
    this.alarm(`${id}ExecutionTimeout`, metric('ExecutionTimeout'), 1, `${id} executions time out`);
  }

  /** Any level whose counters drifted from its ledger, as the reconciliation job reports it. */
  watchReconciliationDrift(): void {
    this.alarm(
      'ReconciliationDrift',
      new Metric({
        namespace: this.metricsNamespace,
        metricName: 'LevelShardsDrifted',
        dimensionsMap: { service: 'inventory' },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      1,
      "a level's counters differ from its ledger (ReconciliationDriftFound)",
    );
  }

  /**
   * The sweeper's lag: how old the oldest expired hold was when it started. The sweeper reports it on every run
   * (0 when nothing had expired), so a period without it means the sweeper is not running: that alarms too.
   */
  watchSweeperLag(): Metric {
    const lag = new Metric({
      namespace: this.metricsNamespace,
      metricName: 'ExpiredHoldLagSeconds',
      dimensionsMap: { service: 'inventory' },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    this.alarm(
      'SweeperLag',
      lag,
      this.thresholds.sweeperLagSeconds,
      'expired holds are not released on time, or the sweeper reports nothing',
      TreatMissingData.BREACHING,
    );
    this.dashboard.addWidgets(new GraphWidget({ title: 'Expired hold lag (s)', left: [lag] }));
    return lag;
  }

  /**
   * An alarm to the topic. Missing data is not breaching by default: most metrics here are only published when
   * something happens (an error, a throttle, a message).
   */
  alarm(
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    treatMissingData: TreatMissingData = TreatMissingData.NOT_BREACHING,
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    this.dashboard.addWidgets(new GraphWidget({ title: id, left: [metric] }));
    return alarm;
  }
}
