import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { coldStart } from '../shared/platform/runtime/deps.js';
import { replenishOnStockLow } from '../shared/replenishment/use-cases/replenish-on-stock-low.js';
import type { OpenRequestResult } from '../shared/replenishment/use-cases/replenishment.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();
const consume = replenishOnStockLow(deps);

/**
 * The target of the bus's replenishment rule (StockLow): opens a replenishment request for the level unless one
 * is open; a duplicate StockLow opens nothing more. Any failure (an invalid event included) is thrown, so that
 * the asynchronous invocation is retried and then dead-lettered, never dropped.
 */
async function replenish(event: unknown): Promise<OpenRequestResult> {
  const result = await consume(event);
  metrics.addMetric('ReplenishmentRequestsOpened', MetricUnit.Count, result.outcome === 'opened' ? 1 : 0);
  logger.info('StockLow consumed', { outcome: result.outcome, requestId: result.request?.requestId });
  return result;
}

export const handler = middy(replenish).use(injectLambdaContext(logger)).use(logMetrics(metrics));
