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
import { type ReconcileReport, reconcile } from '../shared/stock/use-cases/reconcile.js';

const { deps } = coldStart();
const publisher = eventBridgePublisher(new EventBridgeClient({}), readEventBusName(process.env));
const logger = new Logger();
const metrics = new Metrics();

/** Stop starting new pages of levels this long before the function's timeout, to publish what was found. */
const SAFETY_MARGIN_MS = 60_000;

/** Pages of the table read per run by the discovery scan (ADR 32): bounds a run's cost whatever the history. */
const SCAN_PAGES_PER_RUN = 200;

export interface ReconcileSummary {
  readonly checked: number;
  readonly consistent: number;
  readonly drifted: number;
  readonly busy: number;
  /** Shards checked from their checkpoint (only new movements replayed), and whole ledgers replayed. */
  readonly incremental: number;
  readonly full: number;
  readonly movementsReplayed: number;
  readonly verifiedWhileWritten: number;
  readonly discovery: ReconcileReport['discovery'];
  readonly complete: boolean;
  /** Entries of the registry of sharded levels written, removed and skipped (ADR 43, "Repair"). */
  readonly registry: ReconcileReport['registry'];
}

/**
 * Scheduled reconciliation: compares each level shard's counters with its checkpoint plus the movements after it
 * (ADR 32), and publishes a ReconciliationDriftFound on the bus for each drift. It never changes stock: it writes
 * only its checkpoints and repairs of the registry of sharded levels (ADR 43). It logs what it checked and
 * repaired. A failure to publish throws, so that the schedule's retry runs it
 * again (drift events have stable ids).
 */
async function reconcileLevels(_event: unknown, context: Context): Promise<ReconcileSummary> {
  const report = await reconcile(deps, {
    publisher,
    scanPages: SCAN_PAGES_PER_RUN,
    shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
  });
  metrics.addMetric('LevelShardsVerifiedIncrementally', MetricUnit.Count, report.incremental);
  metrics.addMetric('MovementsReplayed', MetricUnit.Count, report.replayed);
  metrics.addMetric('LevelShardsReconciled', MetricUnit.Count, report.checked);
  metrics.addMetric('LevelShardsDrifted', MetricUnit.Count, report.drifts.length);
  metrics.addMetric('LevelShardsBusy', MetricUnit.Count, report.busy.length);
  const summary = {
    checked: report.checked,
    consistent: report.consistent,
    drifted: report.drifts.length,
    busy: report.busy.length,
    incremental: report.incremental,
    full: report.full,
    movementsReplayed: report.replayed,
    verifiedWhileWritten: report.verifiedWhileWritten,
    discovery: report.discovery,
    complete: report.complete,
    registry: report.registry,
  };
  if (report.drifts.length)
    logger.error('levels drifted from their ledger', { ...summary, drifts: report.drifts });
  else if (!report.complete) logger.warn('reconciliation stopped before every level was checked', summary);
  else logger.info('every level checked', summary);
  return summary;
}

export const handler = middy(reconcileLevels).use(injectLambdaContext(logger)).use(logMetrics(metrics));
