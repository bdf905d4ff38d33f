import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AutoSharding } from '../constructs/auto-sharding.js';
import { CartRecovery } from '../constructs/cart-recovery.js';
import { CHANGE_FEED_MAX_LAG, ChangeFeed } from '../constructs/change-feed.js';
import { EventConsumers } from '../constructs/event-consumers.js';
import { HoldExpiry } from '../constructs/hold-expiry.js';
import { Reconciliation } from '../constructs/reconciliation.js';
import { functionDefaults } from './function-defaults.js';
import { type StatelessStackProps, stackAlarms } from './stateless-stack.js';

/**
 * What runs without a caller: holds that expire on time (the sweeper on a schedule, the TTL backstop on the
 * table's stream), the recovery of carts whose saga was cut off, the bus's consumers (replenishment, the analytics
 * feed), the scheduled reconciliation, the change feed's writer (which also aggregates it); each with its
 * dead-letter queue and alarms.
 */
export class BackgroundStack extends Stack {
  readonly expiry: HoldExpiry;
  readonly cartRecovery: CartRecovery;
  readonly consumers: EventConsumers;
  readonly reconciliation: Reconciliation;
  readonly changeFeed: ChangeFeed;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const table = stateful.data.table;
    const defaults = functionDefaults(config, table);
    const alarms = stackAlarms(this, 'BackgroundAlarms', props);

    this.expiry = new HoldExpiry(this, 'HoldExpiry', {
      table,
      ...defaults,
      sweepEveryMinutes: config.sweepEveryMinutes,
    });
    alarms.watchFunction('Sweeper', this.expiry.sweeper.fn);
    alarms.watchFunction('TtlBackstop', this.expiry.backstop.fn);
    alarms.watchDeadLetterQueue('SweeperDlq', this.expiry.sweeperDlq.queue);
    alarms.watchDeadLetterQueue('TtlBackstopDlq', this.expiry.backstopDlq.queue);
    alarms.watchSweeperLag();

    const autoSharding = new AutoSharding(this, 'AutoSharding', { table, ...defaults });
    alarms.watchFunction('AutoShard', autoSharding.fn.fn);
    alarms.watchDeadLetterQueue('AutoShardDlq', autoSharding.dlq.queue);

    this.cartRecovery = new CartRecovery(this, 'CartRecovery', { table, ...defaults, observability: alarms });

    this.consumers = new EventConsumers(this, 'Consumers', { bus: stateful.events.bus, table, ...defaults });
    alarms.watchFunction('Replenishment', this.consumers.replenishment.fn);
    alarms.watchDeadLetterQueue('ReplenishmentDlq', this.consumers.replenishmentDlq.queue);
    alarms.watchDeadLetterQueue('AnalyticsDlq', this.consumers.analyticsDlq.queue);

    this.reconciliation = new Reconciliation(this, 'Reconciliation', {
      table,
      bus: stateful.events.bus,
      ...defaults,
      everyHours: config.reconcileEveryHours,
    });
    alarms.watchFunction('Reconciliation', this.reconciliation.fn.fn);
    alarms.watchDeadLetterQueue('ReconciliationDlq', this.reconciliation.dlq.queue);
    alarms.watchReconciliationDrift();

    this.changeFeed = new ChangeFeed(this, 'ChangeFeed', { table, ...defaults });
    alarms.watchFunction('ChangeFeedWriter', this.changeFeed.writer.fn);
    alarms.watchDeadLetterQueue('ChangeFeedWriterDlq', this.changeFeed.writerDlq.queue);
    alarms.alarm(
      'ChangeFeedLag',
      this.changeFeed.writer.fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      CHANGE_FEED_MAX_LAG.toMilliseconds(),
      'the change feed is behind the table (its writer reads old stream records)',
    );

    new CfnOutput(this, 'AnalyticsLogGroup', { value: this.consumers.analyticsLogGroup.logGroupName });
  }
}
