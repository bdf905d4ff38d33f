import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type StreamPoller, startStreamPoller } from '../../infra/local/stream-poller.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { streamClientConfig } from '../support/stream.js';

let first: TestTable;
let second: TestTable | undefined;
let poller: StreamPoller;
const seen: DynamoDBRecord[] = [];
beforeAll(async () => {
  first = await createTestTable();
  poller = await startStreamPoller({
    clientConfig: streamClientConfig(first),
    tableName: first.tableName,
    startAt: 'TRIM_HORIZON',
    intervalMs: 200,
    onRecords: async (records) => {
      seen.push(...records);
    },
  });
});
afterAll(async () => {
  await poller.stop();
  await Promise.all([first.drop(), second?.drop()]);
});

describe('the stream poller', () => {
  it('reads a shard that was empty when it started, after another table took the next sequence numbers', async () => {
    // Prepare: DynamoDB Local refuses the first iterator of an empty shard once another stream has grown
    await poller.drain();
    second = await createTestTable();

    // Act
    for (const pk of ['a', 'b']) {
      await first.client.send(new PutCommand({ TableName: first.tableName, Item: { pk, sk: 'x' } }));
    }
    await poller.drain();
    await first.client.send(new PutCommand({ TableName: first.tableName, Item: { pk: 'c', sk: 'x' } }));
    await poller.drain();

    // Assess: every record once, in order
    expect(seen.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['a', 'b', 'c']);
  });
});

/**
 * The request handler of a stream client for `table` that, once `holdNextGetRecords()` is called, keeps the next
 * GetRecords answer after DynamoDB Local gave it, until released: a pass that read the shards, still running.
 */
function answerHoldingHandler(table: TestTable) {
  const handler = new DynamoDBStreamsClient(streamClientConfig(table)).config.requestHandler;
  const handle = handler.handle.bind(handler);
  let holding: { answered(): void; released: Promise<void> } | null = null;
  handler.handle = async (request, options) => {
    const answer = await handle(request, options);
    const hold = holding;
    if (hold && String(request.headers?.['x-amz-target']).endsWith('.GetRecords')) {
      holding = null;
      hold.answered();
      await hold.released;
    }
    return answer;
  };
  return {
    handler,
    /** Resolves with a release once a GetRecords has been answered and is being held. */
    holdNextGetRecords(): Promise<() => void> {
      return new Promise((held) => {
        let release = () => {};
        const released = new Promise<void>((r) => {
          release = r;
        });
        holding = { answered: () => held(release), released };
      });
    },
  };
}

describe('draining the stream poller', () => {
  it('hands over a write acknowledged while a pass that had already read the shard was still under way', async () => {
    // Prepare: a poller whose background pass has read the (quiet) shard and not yet ended
    const table = await createTestTable();
    const holding = answerHoldingHandler(table);
    const records: DynamoDBRecord[] = [];
    const held = await startStreamPoller({
      clientConfig: { ...streamClientConfig(table), requestHandler: holding.handler },
      tableName: table.tableName,
      startAt: 'TRIM_HORIZON',
      intervalMs: 20,
      onRecords: async (batch) => {
        records.push(...batch);
      },
    });
    onTestFinished(async () => {
      await held.stop();
      await table.drop();
    });
    await held.drain();
    const release = await holding.holdNextGetRecords();

    // Act
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'after', sk: 'x' } }));
    const drained = held.drain();
    release();
    await drained;

    // Assess
    expect(records.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['after']);
  });
});
