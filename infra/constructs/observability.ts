import { Duration } from 'aws-cdk-lib';
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
  readonly alarmEmail: string | null;
  /** The alarm topic of another stack to send to (ADR 16: the stateful stack owns it); else this creates it. */
  readonly topic?: ITopic;
}

/**
 * Alarms and a dashboard. Other constructs register what they want watched (functions, dead-letter queues,
 * custom metrics); every alarm goes to one encrypted topic. One per stack (alarms live next to what they watch),
 * all sending to the topic of the first.
 */
export class Observability extends Construct {
  readonly topic: ITopic;
  readonly dashboard: Dashboard;
  private readonly thresholds: AlarmThresholds;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.thresholds = props.thresholds;
    this.topic = props.topic ?? this.createTopic(props.alarmEmail);
    this.action = new SnsAction(this.topic);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
  }

  private createTopic(alarmEmail: string | null): Topic {
    const key = new Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the alarm topic',
    });
    const topic = new Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    if (alarmEmail) topic.addSubscription(new EmailSubscription(alarmEmail));
    return topic;
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
        namespace: 'Inventory',
        metricName: 'LevelShardsDrifted',
        dimensionsMap: { service: 'inventory' },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      1,
      "a level's counters differ from its ledger (ReconciliationDriftFound)",
    );
  }

  /** The sweeper's lag: how old the oldest expired hold was when it started. */
  watchSweeperLag(): Metric {
    const lag = new Metric({
      namespace: 'Inventory',
      metricName: 'ExpiredHoldLagSeconds',
      dimensionsMap: { service: 'inventory' },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    this.alarm(
      'SweeperLag',
      lag,
      this.thresholds.sweeperLagSeconds,
      'expired holds are not released on time',
    );
    this.dashboard.addWidgets(new GraphWidget({ title: 'Expired hold lag (s)', left: [lag] }));
    return lag;
  }

  alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    this.dashboard.addWidgets(new GraphWidget({ title: id, left: [metric] }));
    return alarm;
  }
}
