import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { handlePurgedHoldRecords } from '../shared/holds/streams/purged-holds.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * The TTL backstop, fed by the table's stream (filtered to TTL deletions of held reservations). Records are
 * handled in order; the first failure and everything after it are reported back for retry, so that nothing is
 * skipped and a record already handled is harmless to see again.
 */
async function releasePurged(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  metrics.addMetric('PurgedHoldRecords', MetricUnit.Count, event.Records.length);
  for (const [i, record] of event.Records.entries()) {
    try {
      const tally = await handlePurgedHoldRecords(deps, [record]);
      if (tally.released) metrics.addMetric('PurgedHoldsReleased', MetricUnit.Count, tally.released);
    } catch (error) {
      logger.error('backstop failed on a record; retrying it and the rest of the batch', { error });
      return {
        batchItemFailures: event.Records.slice(i).map((r) => ({
          itemIdentifier: r.dynamodb?.SequenceNumber ?? '',
        })),
      };
    }
  }
  return { batchItemFailures: [] };
}

export const handler = middy(releasePurged).use(injectLambdaContext(logger)).use(logMetrics(metrics));
