import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROUTE_TABLE } from '../shared/http/route-table.js';
import { reserveCart } from '../shared/http/routes/carts.js';
import type { EnvironmentConfig } from './config.js';
import { Api } from './constructs/api.js';
import { CartRecovery } from './constructs/cart-recovery.js';
import { CartSaga } from './constructs/cart-saga.js';
import { Data } from './constructs/data.js';
import { EventConsumers } from './constructs/event-consumers.js';
import { EventLog } from './constructs/event-log.js';
import { HoldExpiry } from './constructs/hold-expiry.js';
import { Identity } from './constructs/identity.js';
import { Observability } from './constructs/observability.js';
import { Reconciliation } from './constructs/reconciliation.js';
import { functionEnvironment, metricsNamespace } from './function-environment.js';

export interface InventoryStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * The inventory service: a table of stock levels, ledger and holds; the HTTP API in front of one function per
 * route; holds that expire on time; the event pipe and bus; the cart saga; alarms on all of it.
 */
export class InventoryStack extends Stack {
  constructor(scope: Construct, id: string, props: InventoryStackProps) {
    super(scope, id, props);
    const { config } = props;

    const data = new Data(this, 'Data', { retainData: config.retainData });
    const observability = new Observability(this, 'Observability', {
      thresholds: config.alarms,
      alarmEmails: config.alarmEmails,
      metricsNamespace: metricsNamespace(config.name),
    });
    const environment = functionEnvironment(config, data.table.tableName);
    const functionDefaults = {
      environment,
      logRetentionDays: config.logRetentionDays,
      retainLogs: config.retainData,
    };

    const expiry = new HoldExpiry(this, 'HoldExpiry', {
      table: data.table,
      ...functionDefaults,
      sweepEveryMinutes: config.sweepEveryMinutes,
    });
    observability.watchFunction('Sweeper', expiry.sweeper.fn);
    observability.watchFunction('TtlBackstop', expiry.backstop.fn);
    observability.watchDeadLetterQueue('SweeperDlq', expiry.sweeperDlq.queue);
    observability.watchDeadLetterQueue('TtlBackstopDlq', expiry.backstopDlq.queue);
    observability.watchSweeperLag();

    const events = new EventLog(this, 'Events', {
      table: data.table,
      ...functionDefaults,
      archiveRetentionDays: config.eventArchiveRetentionDays,
    });
    observability.watchFunction('Enrichment', events.enrichment.fn);
    observability.watchPipe('EventPipe', events.pipe.ref);
    observability.watchDeadLetterQueue('EventPipeDlq', events.pipeDlq.queue);

    const consumers = new EventConsumers(this, 'Consumers', {
      bus: events.bus,
      table: data.table,
      ...functionDefaults,
    });
    observability.watchFunction('Replenishment', consumers.replenishment.fn);
    observability.watchDeadLetterQueue('ReplenishmentDlq', consumers.replenishmentDlq.queue);
    observability.watchDeadLetterQueue('AnalyticsDlq', consumers.analyticsDlq.queue);

    const reconciliation = new Reconciliation(this, 'Reconciliation', {
      table: data.table,
      bus: events.bus,
      ...functionDefaults,
      everyHours: config.reconcileEveryHours,
    });
    observability.watchFunction('Reconciliation', reconciliation.fn.fn);
    observability.watchDeadLetterQueue('ReconciliationDlq', reconciliation.dlq.queue);
    observability.watchReconciliationDrift();

    const identity = new Identity(this, 'Identity', { config });
    const api = new Api(this, 'Api', {
      routes: ROUTE_TABLE,
      table: data.table,
      authorizer: identity.authorizer,
      throttle: config.service.gatewayThrottle,
      ...functionDefaults,
    });
    for (const [operationId, fn] of api.functions) observability.watchFunction(operationId, fn.fn);
    observability.watchApi(api.httpApi);

    const saga = new CartSaga(this, 'CartSaga', { table: data.table, ...functionDefaults });
    saga.startableBy(api.functionOf(reserveCart).fn);
    observability.watchStateMachine('CartSaga', saga.stateMachine);
    observability.watchFunction('CartSagaReserveStep', saga.reserveStep.fn, { errors: false });
    observability.watchFunction('CartSagaCompensate', saga.compensate.fn);
    observability.watchFunction('CartSagaComplete', saga.complete.fn);
    new CartRecovery(this, 'CartRecovery', { table: data.table, ...functionDefaults, observability });

    new CfnOutput(this, 'TableName', { value: data.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: events.bus.eventBusName });
    new CfnOutput(this, 'EventArchiveName', { value: events.archive.archiveName });
    new CfnOutput(this, 'AnalyticsLogGroup', { value: consumers.analyticsLogGroup.logGroupName });
    new CfnOutput(this, 'JwtIssuer', { value: identity.issuerUrl });
    if (identity.userPoolClient)
      new CfnOutput(this, 'UserPoolClientId', { value: identity.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: observability.topic.topicArn });
    new CfnOutput(this, 'CartSagaArn', { value: saga.stateMachine.stateMachineArn });
  }
}
