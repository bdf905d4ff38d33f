import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RateLimit } from '../../shared/platform/config/service-config.js';
import { DEFAULT_ROUTE_TIMEOUT_SECONDS, type RouteDefinition } from '../../shared/platform/http/route.js';
import { ServiceFunction } from './service-function.js';
import { grantTable, type TableAction } from './table-access.js';

export interface ApiProps {
  readonly throttle: RateLimit;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

export interface ApiRoutesProps {
  /** The API the routes are added to (it may live in another stack: its id is imported). */
  readonly httpApi: HttpApi;
  readonly routes: readonly RouteDefinition[];
  readonly table: ITableV2;
  readonly authorizer: HttpJwtAuthorizer;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/**
 * One JSON line per request, of the HTTP API's own `$context` variables (the REST API's `resourcePath`,
 * `caller` or `user` are always empty here): the route matched, who called (the token's `sub`), why the
 * authorizer refused, and the integration's error and status beside the gateway's.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  principal: '$context.authorizer.claims.sub',
  authorizerError: '$context.authorizer.error',
  errorMessage: '$context.error.message',
  errorResponseType: '$context.error.responseType',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integration.error',
  integrationErrorMessage: '$context.integrationErrorMessage',
  integrationRequestId: '$context.integration.requestId',
} as const;

const ACCESS: Record<RouteDefinition['tableAccess'], readonly TableAction[]> = {
  none: [],
  read: ['GetItem', 'Query', 'BatchGetItem'],
  'read-write': ['GetItem', 'Query', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'],
};

/** The kebab-case name of a route's handler file: `functions/reserve-stock.ts` → `reserve-stock`. */
export function handlerName(route: RouteDefinition): string {
  return route.handler.replace(/^functions\//, '').replace(/\.ts$/, '');
}

/**
 * The HTTP API itself: the API, its `$default` stage with stage-wide throttling from the service config (the
 * per-caller limit is enforced in the handlers) and JSON access logs of the HTTP API's fields. Its routes are added by `ApiRoutes`, one
 * group per stack (ADR 16); the JWT authorizer, bound by the first route that uses it, lives under the API.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Inventory service API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.requestsPerSecond, burstLimit: props.throttle.burst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    new CfnOutput(Stack.of(this), 'ApiUrl', {
      value: this.stage.url,
      description: 'Base URL of the inventory API',
    });
  }
}

/**
 * Routes of the shared route table on the HTTP API: one Lambda function per route, each granted only the table
 * access its route declares; the JWT authorizer on every route but the public ones.
 */
export class ApiRoutes extends Construct {
  readonly functions = new Map<string, ServiceFunction>();

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id);
    for (const route of props.routes) {
      const fn = new ServiceFunction(this, route.operationId, {
        handler: handlerName(route),
        environment: props.environment,
        logRetentionDays: props.logRetentionDays,
        retainLogs: props.retainLogs,
        timeout: Duration.seconds(route.timeoutSeconds ?? DEFAULT_ROUTE_TIMEOUT_SECONDS),
        description: `${route.method} ${route.path}`,
      });
      const actions = ACCESS[route.tableAccess];
      if (actions.length)
        grantTable(fn.fn, props.table, actions, { indexes: route.indexes ?? ['levelHolds'] });
      const apiRoute = new HttpRoute(this, `${route.operationId}Route`, {
        httpApi: props.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.operationId}Integration`, fn.fn),
        ...(route.auth === 'jwt' ? { authorizer: props.authorizer } : {}),
      });
      if (route.auth === 'none') {
        Validations.of(apiRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (the route table marks it auth: none).`,
        });
      }
      this.functions.set(route.operationId, fn);
    }
  }

  /** The function of a route of this group. */
  functionOf(route: RouteDefinition): ServiceFunction {
    const fn = this.functions.get(route.operationId);
    if (!fn) throw new Error(`these routes have no function for ${route.operationId}`);
    return fn;
  }
}
