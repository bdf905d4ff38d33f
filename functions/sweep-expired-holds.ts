import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type SweepReport, sweepExpiredHolds } from '../shared/holds/use-cases/expiry.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/** Stop starting new batches this long before the function's timeout; the next scheduled run continues. */
const SAFETY_MARGIN_MS = 15_000;

/** Scheduled every minute: releases expired holds on time and reports how late the oldest one was. */
async function sweep(_event: unknown, context: Context): Promise<SweepReport> {
  const report = await sweepExpiredHolds(deps, {
    shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
  });
  metrics.addMetric('HoldsExpired', MetricUnit.Count, report.expired);
  metrics.addMetric(
    'ExpiredHoldLagSeconds',
    MetricUnit.Seconds,
    (report.oldestExpiredAgeMsBefore ?? 0) / 1000,
  );
  metrics.addMetric(
    'ExpiredHoldBacklogAfterSweepSeconds',
    MetricUnit.Seconds,
    (report.oldestExpiredAgeMsAfter ?? 0) / 1000,
  );
  logger.info('sweep finished', { ...report });
  return report;
}

export const handler = middy(sweep).use(injectLambdaContext(logger)).use(logMetrics(metrics));
