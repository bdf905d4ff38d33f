import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { coldStart } from '../shared/platform/runtime/deps.js';
import { type AutoShardReport, autoShardLevels } from '../shared/stock/use-cases/auto-sharding.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * Scheduled every minute (ADR 30): splits the levels the reserve path found contended, merges back the quiet
 * ones. Each change is logged as a `LevelShardsChanged` line and counted in the `LevelShardsChanged` metric
 * (dimension: the action); the `LevelShardsChanged` event of the catalogue comes from the stream (shard 0's record,
 * ADR 35), as it does for the admin route's rebalances.
 */
async function autoShard(): Promise<AutoShardReport> {
  const report = await autoShardLevels(deps);
  for (const change of report.changes) {
    logger.info('LevelShardsChanged', { ...change });
    const single = metrics.singleMetric();
    single.addDimension('action', change.action);
    single.addMetric('LevelShardsChanged', MetricUnit.Count, 1);
  }
  metrics.addMetric('ContendedLevels', MetricUnit.Count, report.looked);
  return report;
}

export const handler = middy(autoShard).use(injectLambdaContext(logger)).use(logMetrics(metrics));
