import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EVENT_RULES } from '../../shared/events/rules.js';
import { LIVE_MANAGEMENT_ENDPOINT } from '../../shared/live/live-runtime.js';
import type { RateLimit } from '../../shared/platform/config/service-config.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { RULE_TARGET_RETRY } from './event-consumers.js';
import { cdkEventPattern } from './event-log.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

/** The WebSocket API's stage: the `@connections` endpoint is `https://{api}.execute-api.{region}.amazonaws.com/live`. */
export const LIVE_STAGE = 'live';
/** The routes besides $connect and $disconnect, selected by the message's `action`. */
export const LIVE_MESSAGE_ROUTES = ['subscribe', 'unsubscribe', 'ping'] as const;
/** The alarm on the age of the oldest change pushed, in seconds (LiveChangeAgeSeconds, maximum over 5 minutes). */
export const LIVE_CHANGE_AGE_ALARM_SECONDS = 60;

export interface LiveApiProps {
  readonly table: ITableV2;
  readonly bus: IEventBus;
  readonly alarmTopic: ITopic;
  readonly metricsNamespace: string;
  /** The issuer the HTTP API's JWT authorizer trusts, and the audiences it accepts (aud or client_id). */
  readonly issuerUrl: string;
  readonly audiences: readonly string[];
  /** Stage-wide throttling of connection attempts and messages (the service config's gateway throttle). */
  readonly throttle: RateLimit;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/**
 * Live stock (docs/live.md, ADR 20): an API Gateway WebSocket API whose `$connect` is guarded by a Lambda
 * authorizer verifying the same JWTs as the HTTP API (aws-jwt-verify against the issuer's JWKS, the token in the
 * `token` query parameter), its routes ($connect, $disconnect, subscribe, unsubscribe, ping, $default) on three
 * functions, and the fan-out: a rule on the inventory bus (the level-changing events) invoking the function that
 * posts each changed level to its subscribers through the stage's `@connections` API. Only the functions that
 * post get `execute-api:ManageConnections`, on this stage only. The rule target and the function's asynchronous
 * invocations dead-letter to one queue; errors, the queue and the age of changes pushed raise alarms.
 */
export class LiveApi extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly authorizer: ServiceFunction;
  readonly connect: ServiceFunction;
  readonly disconnect: ServiceFunction;
  readonly message: ServiceFunction;
  readonly fanOut: ServiceFunction;
  readonly fanOutDlq: DeadLetterQueue;
  readonly rule: Rule;
  readonly changeAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: LiveApiProps) {
    super(scope, id);
    const common = { logRetentionDays: props.logRetentionDays, retainLogs: props.retainLogs };

    this.authorizer = new ServiceFunction(this, 'Authorizer', {
      ...common,
      handler: 'live-authorizer',
      memoryMb: 256,
      timeout: Duration.seconds(5),
      environment: {
        ...props.environment,
        LIVE_JWT_ISSUER: props.issuerUrl,
        LIVE_JWT_AUDIENCE: props.audiences.join(','),
        LIVE_JWKS_URI: `${props.issuerUrl}/.well-known/jwks.json`,
      },
      description: 'Verifies the token of a live-stock connection ($connect)',
    });

    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-live`,
      description: 'Live stock: availability pushed over WebSocket (docs/live.md)',
      routeSelectionExpression: '$request.body.action',
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: LIVE_STAGE,
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.requestsPerSecond, burstLimit: props.throttle.burst },
    });
    const noAccessLogs =
      "A WebSocket API's access logs need the account-wide API Gateway CloudWatch role (AWS::ApiGateway::Account), a singleton this service must not overwrite; every connect, message and fan-out is logged in JSON by its function instead.";
    Validations.of(this.stage).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-APIG1', reason: noAccessLogs },
      { id: 'Serverless::Serverless-APIGWAccessLogging', reason: noAccessLogs },
    );
    const live = { ...props.environment, [LIVE_MANAGEMENT_ENDPOINT]: this.stage.callbackUrl };

    this.connect = new ServiceFunction(this, 'Connect', {
      ...common,
      handler: 'live-connect',
      environment: live,
      description: 'Records a live-stock connection in one of its caller’s slots ($connect)',
    });
    this.disconnect = new ServiceFunction(this, 'Disconnect', {
      ...common,
      handler: 'live-disconnect',
      environment: live,
      description: 'Forgets a live-stock connection and its subscriptions ($disconnect)',
    });
    this.message = new ServiceFunction(this, 'Message', {
      ...common,
      handler: 'live-message',
      environment: live,
      description: 'Answers subscribe, unsubscribe and ping on a live-stock connection',
    });
    this.fanOutDlq = new DeadLetterQueue(this, 'FanOutDlq');
    this.fanOut = new ServiceFunction(this, 'FanOut', {
      ...common,
      handler: 'live-fan-out',
      environment: live,
      timeout: Duration.seconds(60),
      deadLetterQueue: this.fanOutDlq.queue,
      description: 'Pushes a changed level to its live-stock subscribers',
    });

    // The slot and the connection in one transaction (PutItem); the $connect refusal reads nothing.
    grantTable(this.connect.fn, props.table, ['PutItem']);
    // The connection (DeleteItem, its old image), its slot (conditional DeleteItem), its subscriptions (BatchWriteItem).
    grantTable(this.disconnect.fn, props.table, ['DeleteItem', 'BatchWriteItem']);
    // Subscribe: the connection's topics (UpdateItem) and the subscription (PutItem) in one transaction; the
    // snapshot (Query of the SKU's levels; a location's: GetItem of the location, Query of its levels' listing
    // on list1, BatchGetItem of their shards); unsubscribe (UpdateItem, DeleteItem); a gone connection as disconnect.
    grantTable(
      this.message.fn,
      props.table,
      ['UpdateItem', 'PutItem', 'GetItem', 'Query', 'BatchGetItem', 'DeleteItem', 'BatchWriteItem'],
      { indexes: ['list1'] },
    );
    // The level (Query), its subscribers (Query), a gone connection forgotten as disconnect.
    grantTable(this.fanOut.fn, props.table, ['Query', 'DeleteItem', 'BatchWriteItem']);
    for (const poster of [this.message, this.fanOut]) this.stage.grantManagementApiAccess(poster.fn);
    const apiId = Stack.of(this).getLogicalId(this.api.node.defaultChild as never);
    Validations.of(Stack.of(this)).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiId}>/${LIVE_STAGE}/*/@connections/*]`,
      reason:
        'Connection ids are made by API Gateway at each connect: the message and fan-out functions may manage connections of this API and stage only.',
    });

    const authorizer = new WebSocketLambdaAuthorizer('TokenAuthorizer', this.authorizer.fn, {
      // API Gateway refuses a connection without the token (401) before calling the function.
      identitySource: ['route.request.querystring.token'],
    });
    this.api.addRoute('$connect', {
      integration: new WebSocketLambdaIntegration('ConnectIntegration', this.connect.fn),
      authorizer,
    });
    this.api.addRoute('$disconnect', {
      integration: new WebSocketLambdaIntegration('DisconnectIntegration', this.disconnect.fn),
    });
    const messages = new WebSocketLambdaIntegration('MessageIntegration', this.message.fn);
    for (const routeKey of ['$disconnect', ...LIVE_MESSAGE_ROUTES, '$default']) {
      const route =
        routeKey === '$disconnect'
          ? this.api.node.tryFindChild('$disconnect-Route')
          : this.api.addRoute(routeKey, { integration: messages });
      if (route)
        Validations.of(route).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason:
            'A WebSocket API authorizes at $connect only (API Gateway allows no authorizer on other routes); every message carries the caller the authorizer verified.',
        });
    }

    this.rule = new Rule(this, `${EVENT_RULES.liveStock.name}Rule`, {
      eventBus: props.bus,
      description: EVENT_RULES.liveStock.description,
      eventPattern: cdkEventPattern(EVENT_RULES.liveStock.pattern),
      targets: [
        new LambdaFunction(this.fanOut.fn, { deadLetterQueue: this.fanOutDlq.queue, ...RULE_TARGET_RETRY }),
      ],
    });

    this.changeAgeAlarm = new Alarm(this, 'ChangeAgeAlarm', {
      alarmDescription: `live-stock changes reach subscribers more than ${LIVE_CHANGE_AGE_ALARM_SECONDS} s after they were made`,
      metric: new Metric({
        namespace: props.metricsNamespace,
        metricName: 'LiveChangeAgeSeconds',
        dimensionsMap: { service: 'inventory' },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: LIVE_CHANGE_AGE_ALARM_SECONDS,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.changeAgeAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
