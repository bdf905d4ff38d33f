import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LiveApi } from '../constructs/live-api.js';
import { metricsNamespace } from '../function-environment.js';
import { functionDefaults } from './function-defaults.js';
import { type StatelessStackProps, stackAlarms } from './stateless-stack.js';

/**
 * `Inventory-<env>-Live`: live stock over WebSocket (docs/live.md): the WebSocket API, its authorizer, its
 * functions, the fan-out's rule on the inventory bus with its dead-letter queue, and their alarms.
 */
export class LiveStack extends Stack {
  readonly live: LiveApi;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const table = stateful.data.table;
    const identity = stateful.identity;
    const audiences = config.jwtIssuer
      ? config.jwtIssuer.audience
      : identity.userPoolClient
        ? [identity.userPoolClient.userPoolClientId]
        : [];
    this.live = new LiveApi(this, 'Live', {
      table,
      bus: stateful.events.bus,
      alarmTopic: stateful.observability.topic,
      metricsNamespace: metricsNamespace(config.name),
      issuerUrl: identity.issuerUrl,
      audiences,
      throttle: config.service.gatewayThrottle,
      ...functionDefaults(config, table),
    });
    const alarms = stackAlarms(this, 'LiveAlarms', props);
    alarms.watchFunction('LiveAuthorizer', this.live.authorizer.fn, { errors: false });
    alarms.watchFunction('LiveConnect', this.live.connect.fn);
    alarms.watchFunction('LiveDisconnect', this.live.disconnect.fn);
    alarms.watchFunction('LiveMessage', this.live.message.fn);
    alarms.watchFunction('LiveFanOut', this.live.fanOut.fn);
    alarms.watchDeadLetterQueue('LiveFanOutDlq', this.live.fanOutDlq.queue);

    new CfnOutput(this, 'LiveUrl', { value: this.live.stage.url });
  }
}
