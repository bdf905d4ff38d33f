import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { aggregateChanges } from '../shared/analytics/use-cases/aggregate-changes.js';
import { appendLevelChanges } from '../shared/changes/use-cases/append-level-changes.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * The change feed's writer, fed by the table's stream (filtered to level writes, LEVEL_CHANGE_FILTER). The batch
 * is appended in record order, then the analytics aggregates are brought up to the feed's head (ADR 25: exactly
 * once per position, whoever runs it). On any failure the whole batch is reported back, so it is delivered again
 * from its first record: what was appended already is recognised as a duplicate, nothing is skipped.
 */
async function writeChangeFeed(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  try {
    const outcome = await appendLevelChanges(deps, event.Records);
    metrics.addMetric('ChangesAppended', MetricUnit.Count, outcome.appended);
    metrics.addMetric('ChangesRedelivered', MetricUnit.Count, outcome.duplicates);
    await aggregateChanges(deps);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('change feed append or aggregation failed; the batch is retried from its first record', {
      error,
    });
    const first = event.Records[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}

export const handler = middy(writeChangeFeed).use(injectLambdaContext(logger)).use(logMetrics(metrics));
