import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBRecord } from 'aws-lambda';
import type { DomainEvent } from '../shared/events/catalogue.js';
import { enrichStreamRecords } from '../shared/events/use-cases/enrich-stream-records.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();
const metrics = new Metrics();

/**
 * The EventBridge Pipe's enrichment: the Pipe passes its batch of the table's stream records (those its filter
 * kept) as an array, and puts each element of the returned array on the inventory bus as one event
 * (`{source, detail-type, detail}`; the Pipe's target maps the three, ADR 13). An empty array ends the batch
 * there. A failure throws: the Pipe retries the batch, bisects it, then sends it to its dead-letter queue.
 */
async function enrich(records: DynamoDBRecord[]): Promise<DomainEvent[]> {
  if (!Array.isArray(records)) throw new TypeError('the Pipe passes its batch of stream records as an array');
  const events = await enrichStreamRecords(deps, records);
  metrics.addMetric('DomainEventsEnriched', MetricUnit.Count, events.length);
  return events;
}

export const handler = middy(enrich).use(injectLambdaContext(logger)).use(logMetrics(metrics));
