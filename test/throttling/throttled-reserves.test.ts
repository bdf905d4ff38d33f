import {
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installThrottling,
  THROTTLING_MIDDLEWARE,
} from '../../infra/local/throttling/throttling-middleware.js';
import {
  type ThroughputOptions,
  ThroughputSimulation,
} from '../../infra/local/throttling/throughput-simulation.js';
import { systemClock } from '../../shared/kernel/clock.js';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { useTestApi } from '../api/support/api.js';
import { call, expectProblem } from '../api/support/http.js';
import { aBuyer, aLevel } from '../api/support/world.js';
import { WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * The service under DynamoDB's write limits (infra/local/throttling): the handlers' client answers as a
 * throttled DynamoDB answers, while the tests prepare and check through an unthrottled client of the same table.
 */
const api = useTestApi();

function throttleTheService(options: Partial<ThroughputOptions> = {}): ThroughputSimulation {
  const simulation = new ThroughputSimulation(
    { factor: 0.01, partitions: 'partition-key', ...options },
    systemClock,
  );
  installThrottling(coldStart().client, simulation);
  return simulation;
}

afterEach(() => {
  coldStart().client.middlewareStack.remove(THROTTLING_MIDDLEWARE);
});

describe('DynamoDB throttling as the SDK sees it', () => {
  it('raises a throttled transaction as a TransactionCanceledException with ThrottlingError reasons', async () => {
    // Prepare
    const simulation = new ThroughputSimulation({ factor: 0.0001, partitions: 'partition-key' }, systemClock);
    installThrottling(api().table.client, simulation);
    const put = (sk: string) => ({
      Put: { TableName: api().table.tableName, Item: { pk: { S: 'T' }, sk: { S: sk } } },
    });
    try {
      // Act
      const error = await api()
        .table.client.send(new TransactWriteItemsCommand({ TransactItems: [put('a'), put('b')] }))
        .catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(TransactionCanceledException);
      expect((error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code)).toEqual([
        'ThrottlingError',
        'ThrottlingError',
      ]);
    } finally {
      api().table.client.middlewareStack.remove(THROTTLING_MIDDLEWARE);
    }
  });

  it('lets the SDK retry a throttled single-item write with backoff before it raises the throttling error', async () => {
    // Prepare: the test table's client makes 3 attempts.
    const simulation = new ThroughputSimulation({ factor: 0.0001, partitions: 'partition-key' }, systemClock);
    installThrottling(api().table.client, simulation);
    try {
      // Act
      const error = (await api()
        .table.client.send(
          new PutItemCommand({ TableName: api().table.tableName, Item: { pk: { S: 'T' }, sk: { S: 'x' } } }),
        )
        .catch((e: unknown) => e)) as { name: string; $metadata: { attempts?: number } };
      // Assess
      expect(error.name).toBe('ProvisionedThroughputExceededException');
      expect(error.$metadata.attempts).toBe(3);
      expect(simulation.counts.throttled).toBe(3);
    } finally {
      api().table.client.middlewareStack.remove(THROTTLING_MIDDLEWARE);
    }
  });
});

describe('the service under throttling', () => {
  it('answers 503 with Retry-After to a reserve it cannot place in time, and changes nothing', async () => {
    // Prepare: every transaction is over the limit.
    const level = await aLevel(api(), 10);
    const buyer = await aBuyer(api());
    const simulation = throttleTheService({ factor: 0.0001 });
    // Act
    const reply = await call(api().url, 'POST', '/reservations', {
      token: buyer.token,
      json: { ...level, quantity: 1 },
    });
    // Assess
    expectProblem(reply, 'service-busy');
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(simulation.counts.throttled).toBeGreaterThan(1);
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      available: 10,
      reserved: 0,
    });
    await expectLevelConsistent(api().deps, level.sku, level.locationId);
  });

  it('answers every buyer of a throttled flash sale 201, 409 or 503, and holds the units it answered 201 for and no unit it said was not held', async () => {
    // Prepare: 40 units on 2 shards, 2.5 reserves/s per shard (so that even a slow machine meets the limit); 60 buyers at once.
    const level = await aLevel(api(), 40);
    await shardLevel(api().deps, { ...level, shards: 2 }, WAREHOUSE_CLERK);
    const buyers = await Promise.all(Array.from({ length: 8 }, () => aBuyer(api())));
    const simulation = throttleTheService({ factor: 0.005 });
    // Act
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(api().url, 'POST', '/reservations', {
          token: buyers[i % buyers.length]?.token as string,
          json: { ...level, quantity: 1 },
        }),
      ),
    );
    // Assess
    const answers = replies.map((r) =>
      r.status === 503 ? `503 ${String(r.body.type).split('/').pop()}` : `${r.status}`,
    );
    expect(
      answers.filter((a) => !['201', '409', '503 service-busy', '503 outcome-unknown'].includes(a)),
    ).toEqual([]);
    expect(answers, answers.join(' ')).toContain('503 service-busy');
    expect(simulation.counts.throttled).toBeGreaterThan(0);
    for (const reply of replies.filter((r) => r.status === 503))
      expect(reply.headers.get('retry-after')).toBeTruthy();
    // A 503 service-busy changed nothing; a 503 outcome-unknown (the request's time ran out during a write) may
    // have placed its hold, as it says.
    const held = answers.filter((a) => a === '201').length;
    const unknown = answers.filter((a) => a === '503 outcome-unknown').length;
    const after = await expectLevelConsistent(api().deps, level.sku, level.locationId);
    expect(after?.reserved, answers.join(' ')).toBeGreaterThanOrEqual(held);
    expect(after?.reserved, answers.join(' ')).toBeLessThanOrEqual(held + unknown);
    expect((after?.available ?? 0) + (after?.reserved ?? 0)).toBe(40);
  });
});
