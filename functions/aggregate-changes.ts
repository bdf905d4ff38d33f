import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { aggregateChanges } from '../shared/analytics/use-cases/aggregate-changes.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * The analytics aggregation, woken by the change feed's head moving (FEED_HEAD_FILTER). The records only wake it:
 * it aggregates the feed from its own position, exactly once per position (compare-and-set), so a duplicate,
 * late or out-of-order wake-up changes nothing. A failure reports the batch back, to be woken again.
 */
async function aggregate(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  try {
    await aggregateChanges(deps);
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('aggregation failed; the wake-up is retried', { error });
    const first = event.Records[0]?.dynamodb?.SequenceNumber;
    return { batchItemFailures: first ? [{ itemIdentifier: first }] : [] };
  }
}

export const handler = middy(aggregate).use(injectLambdaContext(logger)).use(logMetrics(metrics));
