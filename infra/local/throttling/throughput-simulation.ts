import type { Clock } from '../../../shared/kernel/clock.js';
import { type BucketLimit, type Charge, TokenBuckets } from './token-bucket.js';
import { type ItemCharge, writeCost } from './write-capacity.js';

/** DynamoDB's write limits: one item, and one partition (of the table or of an index), about 1,000 WCU/s each. */
export const DYNAMODB_WCU_PER_ITEM = 1_000;
export const DYNAMODB_WCU_PER_PARTITION = 1_000;

export interface ThroughputOptions {
  /**
   * The limits are DynamoDB's times this factor (0.01: 10 WCU/s per item and per partition), so that a machine
   * that serves a few hundred requests per second reaches them.
   */
  readonly factor: number;
  /**
   * What a table partition is. `partition-key`: every item of a partition key value shares one partition (a
   * cold table). `isolated-items`: DynamoDB has split the partition for heat so that each hot item is alone
   * in its partition (adaptive capacity; the table has no local index, so it may split an item collection
   * by sort key): only the per-item limit binds on the table. Index partitions are always by their key value.
   */
  readonly partitions: 'partition-key' | 'isolated-items';
  /** Seconds of unused capacity a bucket may save for a burst (1 by default). */
  readonly burstSeconds?: number;
  /** The error of a throttled single-item write (DynamoDB on-demand answers either, by case). */
  readonly singleWriteError?: 'ProvisionedThroughputExceededException' | 'ThrottlingException';
}

/** The answer DynamoDB gives to a throttled request: a 400 with a JSON error body. */
export interface ThrottledAnswer {
  readonly statusCode: 400;
  readonly body: Record<string, unknown>;
}

export interface ThrottlingCounts {
  admitted: number;
  throttled: number;
  /** Throttled requests by the key (item or partition) that was short. */
  readonly byKey: Map<string, number>;
}

const PREFIX = 'com.amazonaws.dynamodb.v20120810#';

/**
 * DynamoDB's write throttling, simulated: each write request is charged to its items and partitions
 * (write-capacity.ts); when a bucket is short the whole request is refused as DynamoDB refuses it, and nothing
 * is consumed. A transaction is cancelled with a `ThrottlingError` reason on each item that was short and
 * `None` on the others; a single-item write gets `ProvisionedThroughputExceededException` (or
 * `ThrottlingException`); a batch is refused whole.
 */
export class ThroughputSimulation {
  readonly counts: ThrottlingCounts = { admitted: 0, throttled: 0, byKey: new Map() };
  private readonly buckets: TokenBuckets;
  private readonly itemLimit: BucketLimit;
  private readonly partitionLimit: BucketLimit;

  constructor(
    private readonly options: ThroughputOptions,
    clock: Clock,
  ) {
    this.buckets = new TokenBuckets(clock);
    const burst = options.burstSeconds ?? 1;
    const item = DYNAMODB_WCU_PER_ITEM * options.factor;
    const partition = DYNAMODB_WCU_PER_PARTITION * options.factor;
    this.itemLimit = { ratePerSecond: item, burst: item * burst };
    this.partitionLimit = { ratePerSecond: partition, burst: partition * burst };
  }

  /** Null when the request may go to DynamoDB (its capacity is taken), or the answer DynamoDB would give. */
  admit(target: string, body: string): ThrottledAnswer | null {
    const cost = writeCost(target, body);
    if (!cost) return null;
    const charges = cost.items.map((item) => this.chargesOf(item));
    const taken = this.buckets.take(charges.flat());
    if (taken.taken) {
      this.counts.admitted++;
      return null;
    }
    this.counts.throttled++;
    for (const key of taken.short) this.counts.byKey.set(key, (this.counts.byKey.get(key) ?? 0) + 1);
    const short = new Set(taken.short);
    if (cost.operation === 'TransactWriteItems') {
      const reasons = charges.map((itemCharges) =>
        itemCharges.some((c) => short.has(c.key))
          ? {
              Code: 'ThrottlingError',
              Message: 'Throughput exceeds the current capacity of your table or index.',
            }
          : { Code: 'None' },
      );
      return {
        statusCode: 400,
        body: {
          __type: `${PREFIX}TransactionCanceledException`,
          Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          CancellationReasons: reasons,
        },
      };
    }
    const error = this.options.singleWriteError ?? 'ProvisionedThroughputExceededException';
    return {
      statusCode: 400,
      body: {
        __type: `${PREFIX}${error}`,
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      },
    };
  }

  private chargesOf(item: ItemCharge): Charge[] {
    const table: Charge[] = [{ key: `item:${item.item}`, units: item.units, limit: this.itemLimit }];
    if (this.options.partitions === 'partition-key') {
      table.push({ key: `partition:${item.partitionKey}`, units: item.units, limit: this.partitionLimit });
    }
    return [
      ...table,
      ...item.indexPartitions.map((key) => ({ key: `index:${key}`, units: 1, limit: this.partitionLimit })),
    ];
  }
}
