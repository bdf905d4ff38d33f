import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  type DynamoDBStreamsClientConfig,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { SILENT_SDK_LOGGER } from '../../shared/platform/store/document-client.js';

/**
 * Reads a table's DynamoDB stream on DynamoDB Local, the way a Lambda event source mapping or an EventBridge
 * Pipe does in the cloud: every shard in order, at least once, in batches, a failed batch retried before the
 * shard moves on. Records are handed over in the shape of a Lambda `DynamoDBStreamEvent`'s records, so the
 * same handlers run locally and in the cloud.
 */
export interface StreamPollerOptions {
  readonly clientConfig: DynamoDBStreamsClientConfig;
  readonly tableName: string;
  /** TRIM_HORIZON replays the stream from its start; LATEST sees only new changes. */
  readonly startAt: 'TRIM_HORIZON' | 'LATEST';
  readonly onRecords: (records: DynamoDBRecord[]) => Promise<void>;
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /**
   * How often the stream's shards are listed again (DescribeStream) to find new ones; also whenever a shard ends.
   * DynamoDB Local answers DescribeStream on the same single thread as every write, so polling it on every pass
   * slows the whole database down.
   */
  readonly discoverEveryMs?: number;
  /** A batch that keeps failing is skipped after this many attempts (reported to `onFailure`). */
  readonly maxAttempts?: number;
  readonly onFailure?: (records: DynamoDBRecord[], error: unknown) => void;
}

export interface StreamPoller {
  /**
   * Polls until a full pass over every shard, begun after this call, finds no new record: every write acknowledged
   * before the call has then been handed over (DynamoDB Local's records are readable at once).
   */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export function toLambdaRecord(record: StreamRecord, region: string): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
      ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : undefined,
    },
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  };
}

export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  // The default logger has an `info` method: the SDK would filter every GetRecords answer (every record) for a
  // log line it never writes.
  const client = new DynamoDBStreamsClient({ logger: SILENT_SDK_LOGGER, ...options.clientConfig });
  const region = typeof options.clientConfig.region === 'string' ? options.clientConfig.region : 'local';
  const { Streams = [] } = await client.send(new ListStreamsCommand({ TableName: options.tableName }));
  const streamArn = Streams[0]?.StreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);

  const iterators = new Map<string, string | null>();
  /** The sequence number of the last record handed over from each shard, to resume after it. */
  const lastSequence = new Map<string, string>();
  const batchSize = options.batchSize ?? 100;
  const maxAttempts = options.maxAttempts ?? 5;
  let stopped = false;
  let running: Promise<boolean> | null = null;

  const discoverEveryMs = options.discoverEveryMs ?? 1_000;
  let discoveredAt = Number.NEGATIVE_INFINITY;
  let shardEnded = false;

  async function discoverShards(): Promise<void> {
    if (!shardEnded && Date.now() - discoveredAt < discoverEveryMs) return;
    discoveredAt = Date.now();
    shardEnded = false;
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        const id = shard.ShardId;
        if (!id || iterators.has(id)) continue;
        const parentOpen = shard.ParentShardId && iterators.get(shard.ParentShardId);
        if (parentOpen) continue; // a child is read after its parent is exhausted, to keep per-item order
        const { ShardIterator } = await client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: id,
            ShardIteratorType: options.startAt,
          }),
        );
        iterators.set(id, ShardIterator ?? null);
      }
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
  }

  async function deliver(records: DynamoDBRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.onRecords(records);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          options.onFailure?.(records, error);
          return;
        }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /**
   * A fresh iterator for a shard whose iterator expired, or was refused as "trimmed": DynamoDB Local refuses an
   * iterator taken while its shard was empty once another table's stream has taken the next sequence numbers.
   * It resumes after the last record handed over, or, when none was, at the shard's start (the shard was empty
   * when the first iterator was taken, so that loses nothing and repeats nothing).
   */
  async function reacquire(shardId: string): Promise<string | null> {
    const after = lastSequence.get(shardId);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator ?? null;
  }

  async function getRecords(shardId: string, iterator: string) {
    try {
      return await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException || error instanceof ExpiredIteratorException))
        throw error;
      const fresh = await reacquire(shardId);
      if (!fresh) return { Records: [], NextShardIterator: undefined };
      return client.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: batchSize }));
    }
  }

  /** One pass over every open shard; true when it delivered at least one record. */
  async function pass(): Promise<boolean> {
    await discoverShards();
    let delivered = false;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      const { Records = [], NextShardIterator } = await getRecords(shardId, iterator);
      if (Records.length) {
        await deliver(Records.map((r) => toLambdaRecord(r, region)));
        const last = Records.at(-1)?.dynamodb?.SequenceNumber;
        if (last) lastSequence.set(shardId, last);
        delivered = true;
      }
      iterators.set(shardId, NextShardIterator ?? null);
      if (!NextShardIterator) shardEnded = true;
    }
    return delivered;
  }

  function once(): Promise<boolean> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  const interval = options.intervalMs ?? 250;
  const loop = (async () => {
    while (!stopped) {
      try {
        if (!(await once())) await new Promise((r) => setTimeout(r, interval));
      } catch (error) {
        if (!stopped) options.onFailure?.([], error);
        await new Promise((r) => setTimeout(r, interval));
      }
    }
  })();

  return {
    async drain() {
      // A pass already under way may have read the shards before the caller's last writes: its "nothing new" says
      // nothing about them. Let it end, then pass until a pass begun after this call finds nothing.
      await running?.catch(() => undefined);
      while (await once()) {
        // keep going until a pass finds nothing new
      }
    },
    async stop() {
      stopped = true;
      await loop;
      client.destroy();
    },
  };
}
