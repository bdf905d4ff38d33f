import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';
import { Data } from '../constructs/data.js';
import { EventLog } from '../constructs/event-log.js';
import { Identity } from '../constructs/identity.js';
import { Observability } from '../constructs/observability.js';
import { metricsNamespace } from '../function-environment.js';
import { functionDefaults } from './function-defaults.js';

export interface StatefulStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The operator console's address (the ConsoleHosting stack's): the user pool client's callback URL. */
  readonly consoleUrl: string;
}

/**
 * What must outlive every deployment (ADR 16): the table with its stream, the event bus and its archive (and the
 * Pipe that feeds the bus from the stream), the user pool and its client, the alarm topic and its key. It keeps
 * the stack name and the construct paths the single stack had, so that no logical id of these changes. In an
 * environment that keeps its data, the stack is protected against termination and the bus and archive are
 * retained like the table and the user pool.
 */
export class StatefulStack extends Stack {
  readonly data: Data;
  readonly observability: Observability;
  readonly events: EventLog;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: props.config.retainData });
    const { config } = props;

    this.data = new Data(this, 'Data', { retainData: config.retainData });
    this.observability = new Observability(this, 'Observability', {
      thresholds: config.alarms,
      alarmEmails: config.alarmEmails,
      metricsNamespace: metricsNamespace(config.name),
    });

    this.events = new EventLog(this, 'Events', {
      table: this.data.table,
      ...functionDefaults(config, this.data.table),
      archiveRetentionDays: config.eventArchiveRetentionDays,
    });
    if (config.retainData) {
      this.events.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.events.archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    this.observability.watchFunction('Enrichment', this.events.enrichment.fn);
    this.observability.watchPipe('EventPipe', this.events.pipe.ref);
    this.observability.watchDeadLetterQueue('EventPipeDlq', this.events.pipeDlq.queue);

    this.identity = new Identity(this, 'Identity', { config, consoleUrl: props.consoleUrl });

    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'EventArchiveName', { value: this.events.archive.archiveName });
    new CfnOutput(this, 'JwtIssuer', { value: this.identity.issuerUrl });
    if (this.identity.userPoolClient)
      new CfnOutput(this, 'UserPoolClientId', { value: this.identity.userPoolClient.userPoolClientId });
    if (this.identity.hostedUiDomain)
      new CfnOutput(this, 'HostedUiDomain', { value: this.identity.hostedUiDomain });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
  }
}
