import { describe, expect, it } from 'vitest';
import { ThroughputSimulation } from '../../infra/local/throttling/throughput-simulation.js';
import { writeCost } from '../../infra/local/throttling/write-capacity.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import { levelKey } from '../../shared/platform/store/keys.js';

const S = (s: string) => ({ S: s });
const TRANSACT = 'DynamoDB_20120810.TransactWriteItems';
const PUT = 'DynamoDB_20120810.PutItem';

/** A reserve as the SDK sends it: the level shard, the new reservation (with its index keys), the movement. */
function reserveBody(shard: number, reservation: string, location = 'WH'): string {
  const key = levelKey(parseSku('A'), parseLocationId(location), shard);
  return JSON.stringify({
    TransactItems: [
      {
        Update: {
          TableName: 't',
          Key: { pk: S(key.pk), sk: S(key.sk) },
          UpdateExpression: 'SET available = available - :q',
          ExpressionAttributeValues: { ':q': { N: '1' } },
        },
      },
      {
        Put: {
          TableName: 't',
          Item: {
            pk: S(`RESERVATION#${reservation}`),
            sk: S('RESERVATION'),
            expiryBucket: S('EXPIRY#3'),
            holdLevel: S(`A#${location}#${shard}`),
          },
        },
      },
      {
        Put: { TableName: 't', Item: { pk: S(`LEDGER#A#${location}#${shard}`), sk: S(`M-${reservation}`) } },
      },
    ],
  });
}

describe('write capacity of a request', () => {
  it('charges 2 WCU per item of a transaction and 1 WCU to each index partition a new item enters', () => {
    // Act
    const cost = writeCost(TRANSACT, reserveBody(0, 'r1'));
    // Assess
    expect(cost?.items).toEqual([
      { item: 'SKU#A|LEVEL#WH#0', partitionKey: 'SKU#A', indexPartitions: [], units: 2 },
      {
        item: 'RESERVATION#r1|RESERVATION',
        partitionKey: 'RESERVATION#r1',
        indexPartitions: ['expiry:EXPIRY#3', 'levelHolds:A#WH#0'],
        units: 2,
      },
      { item: 'LEDGER#A#WH#0|M-r1', partitionKey: 'LEDGER#A#WH#0', indexPartitions: [], units: 2 },
    ]);
  });

  it('charges 1 WCU per started KB of a single-item write', () => {
    // Prepare
    const body = JSON.stringify({ Item: { pk: S('P'), sk: S('S'), blob: S('x'.repeat(1500)) } });
    // Act
    const cost = writeCost(PUT, body);
    // Assess
    expect(cost?.items[0]?.units).toBe(2);
  });

  it('charges nothing to a read', () => {
    expect(writeCost('DynamoDB_20120810.Query', '{}')).toBeNull();
  });
});

describe('the throughput simulation', () => {
  it('cancels a transaction whose level item is over its limit with a ThrottlingError reason on that item only', () => {
    // Prepare: 10 WCU/s per item, so five reserves (2 WCU each on the level item) spend a second of it.
    const simulation = new ThroughputSimulation(
      { factor: 0.01, partitions: 'isolated-items' },
      new ManualClock(),
    );
    for (let i = 0; i < 5; i++) expect(simulation.admit(TRANSACT, reserveBody(0, `r${i}`))).toBeNull();
    // Act
    const answer = simulation.admit(TRANSACT, reserveBody(0, 'r5'));
    // Assess
    expect(answer?.statusCode).toBe(400);
    expect(answer?.body.__type).toBe('com.amazonaws.dynamodb.v20120810#TransactionCanceledException');
    expect(answer?.body.CancellationReasons).toEqual([
      expect.objectContaining({ Code: 'ThrottlingError' }),
      { Code: 'None' },
      { Code: 'None' },
    ]);
  });

  it('serves another shard of the same level while one shard is throttled', () => {
    // Prepare
    const simulation = new ThroughputSimulation(
      { factor: 0.01, partitions: 'isolated-items' },
      new ManualClock(),
    );
    for (let i = 0; i < 5; i++) simulation.admit(TRANSACT, reserveBody(0, `r${i}`));
    // Act
    const answer = simulation.admit(TRANSACT, reserveBody(1, 'r5'));
    // Assess
    expect(answer).toBeNull();
  });

  it('throttles items together when they share one partition: shard 0 of a SKU at two locations', () => {
    // Prepare: shard 0 of every level of `A` is in the partition `SKU#A` of 10 WCU/s; five reserves at WH spend it.
    const simulation = new ThroughputSimulation(
      { factor: 0.01, partitions: 'partition-key' },
      new ManualClock(),
    );
    for (let i = 0; i < 5; i++) simulation.admit(TRANSACT, reserveBody(0, `r${i}`));
    // Act
    const answer = simulation.admit(TRANSACT, reserveBody(0, 'r5', 'WH2'));
    // Assess
    expect(answer?.body.CancellationReasons).toEqual([
      expect.objectContaining({ Code: 'ThrottlingError' }),
      { Code: 'None' },
      { Code: 'None' },
    ]);
    expect(simulation.counts.byKey.get('partition:SKU#A')).toBe(1);
  });

  it('serves every other shard of a level from its own partition when shard 0 is spent (ADR 34)', () => {
    // Prepare: shard 0's item and partition are spent.
    const simulation = new ThroughputSimulation(
      { factor: 0.01, partitions: 'partition-key' },
      new ManualClock(),
    );
    for (let i = 0; i < 5; i++) simulation.admit(TRANSACT, reserveBody(0, `r${i}`));
    // Act
    const answers = [1, 2, 3].map((shard) => simulation.admit(TRANSACT, reserveBody(shard, `s${shard}`)));
    // Assess
    expect(answers).toEqual([null, null, null]);
    expect(simulation.counts.throttled).toBe(0);
  });

  it('throttles a hot index partition: every new hold of one expiry bucket', () => {
    // Prepare: 10 WCU/s on `expiry:EXPIRY#3`, 1 WCU per new hold; each reserve on its own shard.
    const simulation = new ThroughputSimulation(
      { factor: 0.01, partitions: 'isolated-items' },
      new ManualClock(),
    );
    for (let i = 0; i < 10; i++) expect(simulation.admit(TRANSACT, reserveBody(i, `r${i}`))).toBeNull();
    // Act
    const answer = simulation.admit(TRANSACT, reserveBody(10, 'r10'));
    // Assess
    expect(answer?.body.CancellationReasons).toEqual([
      { Code: 'None' },
      expect.objectContaining({ Code: 'ThrottlingError' }),
      { Code: 'None' },
    ]);
  });

  it('answers a throttled single-item write with the error it is configured to answer', () => {
    // Prepare
    const clock = new ManualClock();
    const body = JSON.stringify({ Item: { pk: S('P'), sk: S('S') } });
    const provisioned = new ThroughputSimulation({ factor: 0.001, partitions: 'partition-key' }, clock);
    const throttling = new ThroughputSimulation(
      { factor: 0.001, partitions: 'partition-key', singleWriteError: 'ThrottlingException' },
      clock,
    );
    provisioned.admit(PUT, body);
    throttling.admit(PUT, body);
    // Act
    const answers = [provisioned.admit(PUT, body), throttling.admit(PUT, body)];
    // Assess
    expect(answers.map((a) => a?.body.__type)).toEqual([
      'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      'com.amazonaws.dynamodb.v20120810#ThrottlingException',
    ]);
  });

  it('admits again once the clock has refilled the item', () => {
    // Prepare
    const clock = new ManualClock();
    const simulation = new ThroughputSimulation({ factor: 0.01, partitions: 'isolated-items' }, clock);
    for (let i = 0; i < 6; i++) simulation.admit(TRANSACT, reserveBody(0, `r${i}`));
    // Act
    clock.advance(200);
    // Assess
    expect(simulation.admit(TRANSACT, reserveBody(0, 'r6'))).toBeNull();
    expect(simulation.counts).toMatchObject({ admitted: 6, throttled: 1 });
  });
});
