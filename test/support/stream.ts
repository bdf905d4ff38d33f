import type { DynamoDBRecord } from 'aws-lambda';
import { startStreamPoller } from '../../infra/local/stream-poller.js';
import type { TestTable } from './dynamo.js';

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export const streamClientConfig = (table: TestTable) => ({
  endpoint: table.endpoint,
  region: 'local',
  credentials: LOCAL_CREDENTIALS,
});

/** Records a test table's stream, as the Pipe would receive it, and hands over what is new on each read. */
export interface StreamRecorder {
  /**
   * Every record not handed over yet, in stream order, those of every write acknowledged before the call included
   * (the poller's `drain` ends with a pass begun after the call).
   */
  next(): Promise<DynamoDBRecord[]>;
  stop(): Promise<void>;
}

export async function recordStream(table: TestTable): Promise<StreamRecorder> {
  const seen: DynamoDBRecord[] = [];
  let handedOver = 0;
  const poller = await startStreamPoller({
    clientConfig: streamClientConfig(table),
    tableName: table.tableName,
    startAt: 'TRIM_HORIZON',
    intervalMs: 200,
    onRecords: async (records) => {
      seen.push(...records);
    },
  });
  return {
    async next() {
      await poller.drain();
      const fresh = seen.slice(handedOver);
      handedOver = seen.length;
      return fresh;
    },
    stop: () => poller.stop(),
  };
}

/** The SKU a stream record is about, from its images. */
export function skuOf(record: DynamoDBRecord): string | undefined {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  return image?.sku?.S;
}
