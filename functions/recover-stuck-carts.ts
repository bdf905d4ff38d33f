import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type CartRecoveryReport, recoverStuckCarts } from '../shared/carts/use-cases/cart-recovery.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/** Stop starting on new carts this long before the function's timeout; the next scheduled run continues. */
const SAFETY_MARGIN_MS = 15_000;

/** Scheduled: finishes carts a crash left in flight (compensates a stuck saga, finishes a stuck release). */
async function recover(_event: unknown, context: Context): Promise<CartRecoveryReport> {
  const report = await recoverStuckCarts(deps, {
    shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
  });
  metrics.addMetric('StuckCartsCompensated', MetricUnit.Count, report.compensated);
  metrics.addMetric('StuckCartReleasesFinished', MetricUnit.Count, report.released);
  if (report.compensated + report.released > 0) logger.warn('stuck carts recovered', { ...report });
  else logger.info('no stuck carts', { ...report });
  return report;
}

export const handler = middy(recover).use(injectLambdaContext(logger)).use(logMetrics(metrics));
