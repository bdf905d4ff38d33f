import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { liveColdStart } from '../shared/live/live-runtime.js';
import { type FanOutReport, fanOut } from '../shared/live/use-cases/fan-out.js';

const deps = liveColdStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * The target of the bus's live-stock rule: pushes the changed levels' figures to their subscribers. A failed
 * post (other than a gone connection) fails the invocation, which is retried and then dead-lettered.
 * `LiveChangeAgeSeconds` is how long after the change its delta left (the alarm on the oldest undelivered one).
 */
async function push(event: { time?: string; detail?: unknown }): Promise<FanOutReport> {
  try {
    const report = await fanOut(deps, event);
    metrics.addMetric('LiveDeliveries', MetricUnit.Count, report.sent);
    metrics.addMetric('LiveConnectionsGone', MetricUnit.Count, report.gone);
    // A change nobody watches is the common case: logged only at debug level, counted all the same.
    if (report.sent + report.gone + report.failed > 0) logger.info('live change pushed', { ...report });
    else logger.debug('live change pushed to nobody', { ...report });
    return report;
  } finally {
    const at = event.time ? Date.parse(event.time) : Number.NaN;
    if (Number.isFinite(at))
      metrics.addMetric(
        'LiveChangeAgeSeconds',
        MetricUnit.Seconds,
        Math.max(0, deps.clock.now() - at) / 1000,
      );
  }
}

export const handler = middy(push).use(injectLambdaContext(logger)).use(logMetrics(metrics));
