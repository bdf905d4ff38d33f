import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { eventBridgePublisher } from '../shared/events/eventbridge-publisher.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import { readEventBusName } from '../shared/platform/runtime/environment.js';
import { reconcile } from '../shared/stock/use-cases/reconcile.js';

const { deps } = coldStart();
const publisher = eventBridgePublisher(new EventBridgeClient({}), readEventBusName(process.env));
const logger = new Logger();
const metrics = new Metrics();

/** Stop starting new pages of levels this long before the function's timeout, to publish what was found. */
const SAFETY_MARGIN_MS = 60_000;

export interface ReconcileSummary {
  readonly checked: number;
  readonly consistent: number;
  readonly drifted: number;
  readonly busy: number;
  readonly complete: boolean;
}

/**
 * Scheduled reconciliation: replays each level shard's ledger and compares it with its counters, and publishes a
 * ReconciliationDriftFound on the bus for each drift. It only reads the table: it never changes stock. A
 * failure to publish throws, so that the schedule's retry runs it again (drift events have stable ids).
 */
async function reconcileLevels(_event: unknown, context: Context): Promise<ReconcileSummary> {
  const report = await reconcile(deps, {
    publisher,
    shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
  });
  metrics.addMetric('LevelShardsReconciled', MetricUnit.Count, report.checked);
  metrics.addMetric('LevelShardsDrifted', MetricUnit.Count, report.drifts.length);
  metrics.addMetric('LevelShardsBusy', MetricUnit.Count, report.busy.length);
  const summary = {
    checked: report.checked,
    consistent: report.consistent,
    drifted: report.drifts.length,
    busy: report.busy.length,
    complete: report.complete,
  };
  if (report.drifts.length)
    logger.error('levels drifted from their ledger', { ...summary, drifts: report.drifts });
  else if (!report.complete) logger.warn('reconciliation stopped before every level was checked', summary);
  else logger.info('every level checked', summary);
  return summary;
}

export const handler = middy(reconcileLevels).use(injectLambdaContext(logger)).use(logMetrics(metrics));
