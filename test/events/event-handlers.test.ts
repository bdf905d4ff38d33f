import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFunction, localLambdaContext } from '../../infra/local/lambda-context.js';
import { type DomainEvent, domainEvent, parseDomainEvent } from '../../shared/events/catalogue.js';

import type { OpenRequestResult } from '../../shared/replenishment/use-cases/replenishment.js';
import { setReplenishmentPolicy } from '../../shared/replenishment/use-cases/replenishment.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import { aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { recordStream, type StreamRecorder, skuOf } from '../support/stream.js';

/**
 * The Lambda entry points of the event pipeline, loaded as the stack bundles them, against DynamoDB Local: the
 * Pipe's enrichment and the replenishment rule's target.
 */

const { table, deps } = useTestTable();
let recorder: StreamRecorder;
let enrich: (records: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<DomainEvent[]>;
let replenish: (event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<OpenRequestResult>;
const saved = { ...process.env };

beforeAll(async () => {
  recorder = await recordStream(table);
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_SERVICE_NAME: 'inventory',
    POWERTOOLS_METRICS_NAMESPACE: 'Inventory',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  enrich = await loadFunction('functions/enrich-stream-records.ts');
  replenish = await loadFunction('functions/replenish-on-stock-low.ts');
});
afterAll(async () => {
  process.env = saved;
  await recorder.stop();
});

const context = () => localLambdaContext('test', 'request-1');
const clerk = { actor: WAREHOUSE_CLERK, reason: 'delivery' };

describe('the enrichment function', () => {
  it('takes the array of stream records the Pipe passes and returns one {source, detail-type, detail} per event', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 5);
    await receiveStock(deps, { ...level, quantity: 7 }, clerk);
    const records: DynamoDBRecord[] = (await recorder.next()).filter((r) => skuOf(r) === level.sku);

    // Act
    const events = await enrich(records, context());

    // Assess
    expect(events.map((e) => e['detail-type'])).toEqual(['StockReceived', 'StockReceived']);
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(['detail', 'detail-type', 'source']);
      expect(event.source).toBe('inventory');
      expect(() => parseDomainEvent(event)).not.toThrow();
    }
    expect(events.map((e) => (e.detail as { quantity: number }).quantity)).toEqual([5, 7]);
  });

  it('returns an empty array for records that make no event, and refuses a payload that is not an array', async () => {
    // Prepare
    const ledgerOnly: DynamoDBRecord[] = [
      { eventName: 'INSERT', dynamodb: { NewImage: { kind: { S: 'Movement' } } } },
    ];

    // Act
    const none = await enrich(ledgerOnly, context());
    const notAnArray = enrich({ Records: ledgerOnly }, context());

    // Assess
    expect(none).toEqual([]);
    await expect(notAnArray).rejects.toThrow(/array/);
  });
});

describe('the replenishment function', () => {
  const stockLow = (level: { sku: string; locationId: string }) => {
    const movementId = deps.ids.next();
    return domainEvent('StockLow', {
      schemaVersion: 1,
      occurredAt: new Date(deps.clock.now()).toISOString(),
      sku: level.sku,
      locationId: level.locationId,
      available: 8,
      reorderPoint: 10,
      reorderQuantity: 40,
      movementId,
      version: 2,
    });
  };

  it('opens one request for a StockLow delivered twice, raising incoming once', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 8);
    await setReplenishmentPolicy(deps, { ...level, reorderPoint: 10, reorderQuantity: 40 }, clerk);
    const event = { ...stockLow(level), id: 'eb-1', time: '2026-11-21T09:00:00Z', account: '1', region: 'x' };

    // Act
    const first = await replenish(event, context());
    const second = await replenish(event, context());

    // Assess
    expect(first.outcome).toBe('opened');
    expect(second.outcome).toBe('replay');
    expect(second.request?.requestId).toBe(first.request?.requestId);
    const shard0 = await deps.levels.getLevelShard(level.sku, level.locationId, 0);
    expect(shard0?.incoming).toBe(40);
  });

  it('throws on an event that is not a valid StockLow, so that it is retried and dead-lettered', async () => {
    // Prepare
    const notStockLow = { source: 'inventory', 'detail-type': 'StockOut', detail: { schemaVersion: 1 } };

    // Act
    const consuming = replenish(notStockLow, context());

    // Assess
    await expect(consuming).rejects.toThrow();
  });
});
