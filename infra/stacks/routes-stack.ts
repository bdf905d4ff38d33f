import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/platform/http/route.js';
import { ApiRoutes } from '../constructs/api.js';
import type { ApiStack } from './api-stack.js';
import { functionDefaults } from './function-defaults.js';
import { type StatelessStackProps, stackAlarms } from './stateless-stack.js';

export type RouteTag = RouteDefinition['tag'];

export interface RoutesStackProps extends StatelessStackProps {
  readonly tag: RouteTag;
  readonly routes: readonly RouteDefinition[];
  readonly api: ApiStack;
}

/**
 * The routes of one tag of the route table on the HTTP API: a function per route, its API Gateway route and
 * integration, its alarms. A route stays in the stack of its tag: moving a route to another stack is two deploys
 * (remove it, then add it), as API Gateway refuses two routes with the same key (ADR 16).
 */
export class RoutesStack extends Stack {
  readonly tag: RouteTag;
  readonly routes: ApiRoutes;

  constructor(scope: Construct, id: string, props: RoutesStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    this.tag = props.tag;
    this.routes = new ApiRoutes(this, 'Api', {
      httpApi: props.api.api.httpApi,
      routes: props.routes,
      table: stateful.data.table,
      authorizer: stateful.identity.authorizer,
      ...functionDefaults(config, stateful.data.table),
    });
    const alarms = stackAlarms(this, `${props.tag}RoutesAlarms`, props);
    for (const [operationId, fn] of this.routes.functions) alarms.watchFunction(operationId, fn.fn);
  }
}
