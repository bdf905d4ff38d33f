import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api } from '../constructs/api.js';
import type { Observability } from '../constructs/observability.js';
import { type StatelessStackProps, stackAlarms } from './stateless-stack.js';

/**
 * The HTTP API (its stage, access logs, and the JWT authorizer its routes bind), with its 5xx and latency
 * alarms. Its routes live in the route stacks, one per route tag, so the API grows without this stack growing.
 */
export class ApiStack extends Stack {
  readonly api: Api;
  readonly alarms: Observability;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.api = new Api(this, 'Api', {
      throttle: config.service.gatewayThrottle,
      logRetentionDays: config.logRetentionDays,
      retainLogs: config.retainData,
    });
    this.alarms = stackAlarms(this, 'ApiAlarms', props);
    this.alarms.watchApi(this.api.httpApi);
  }
}
