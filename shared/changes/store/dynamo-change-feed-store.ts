import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrencyLimitError, InvariantViolationError } from '../../kernel/errors.js';
import type { Key } from '../../platform/store/keys.js';
import type { Item } from '../../platform/store/records.js';
import { buildBatchGet } from '../../platform/store/requests/reads.js';
import { getItem, type StoreContext } from '../../platform/store/store-context.js';
import { type FeedChange, type LevelChange, levelShardOf } from '../domain/change.js';
import type { AppendOutcome, ChangeFeedStore, FeedRange } from './change-feed-store.js';
import { toFeedChange } from './records.js';
import {
  buildAppend,
  buildHeadGet,
  MAX_CHANGES_PER_APPEND,
  rangeKeys,
  withoutFed,
} from './requests/change-feed.js';

/** How often one chunk is tried against other appenders before the batch is given back for a retry. */
const MAX_APPEND_ATTEMPTS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The DynamoDB implementation of ChangeFeedStore (docs/decisions/0024). */
export class DynamoChangeFeedStore implements ChangeFeedStore {
  constructor(private readonly ctx: StoreContext) {}

  async head(): Promise<number> {
    const item = await getItem(this.ctx, buildHeadGet(this.ctx.tableName));
    return typeof item?.seq === 'number' ? item.seq : 0;
  }

  async append(changes: readonly LevelChange[]): Promise<AppendOutcome> {
    let appended = 0;
    let duplicates = 0;
    for (let i = 0; i < changes.length; i += MAX_CHANGES_PER_APPEND) {
      const outcome = await this.appendChunk(changes.slice(i, i + MAX_CHANGES_PER_APPEND));
      appended += outcome.appended;
      duplicates += outcome.duplicates;
    }
    return { appended, duplicates };
  }

  /**
   * One chunk: read the head, then one transaction (see buildAppend). A moved head (another appender) is read
   * again; a level shard's marker already at or past a change drops that change (a duplicate); contention is
   * retried with jitter. Each try is a new transaction at the then-current head.
   */
  private async appendChunk(chunk: readonly LevelChange[]): Promise<AppendOutcome> {
    const fed = new Map<string, number>();
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const pending = withoutFed(chunk, fed);
      if (pending.length === 0) return { appended: 0, duplicates: chunk.length };
      const head = await this.head();
      const planned = buildAppend(this.ctx.tableName, head, pending);
      try {
        await this.ctx.client.send(
          new TransactWriteCommand({ ...planned.input, ClientRequestToken: randomUUID() }),
        );
        return { appended: pending.length, duplicates: chunk.length - pending.length };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
        // Another appender took these positions: the head moved, and the entries it wrote are in the way.
        const headMoved = planned.roles.some((role, i) => role.kind === 'head' && failed(i));
        let contended = headMoved;
        reasons.forEach((reason, i) => {
          const role = planned.roles[i];
          if (!role || !reason.Code || reason.Code === 'None') return;
          if (reason.Code !== 'ConditionalCheckFailed') {
            contended = true;
            return;
          }
          if (role.kind === 'fed') {
            // Cancellation reasons carry the old item in DynamoDB's attribute format, not the document client's.
            const old = reason.Item ? unmarshall(reason.Item) : undefined;
            const version = old?.fedVersion;
            const fedVersion = typeof version === 'number' ? version : 0;
            const first = pending.find((c) => levelShardOf(c) === role.levelShard)?.version ?? 0;
            if (fedVersion < first - 1) {
              throw new InvariantViolationError(
                `change feed of ${role.levelShard} holds version ${fedVersion}, the stream gave ${first}: a change is missing`,
              );
            }
            fed.set(role.levelShard, fedVersion);
          } else if (role.kind === 'entry' && !headMoved) {
            throw new InvariantViolationError(`change feed position ${role.seq} is taken above the head`);
          }
        });
        if (contended) await sleep(Math.random() * Math.min(500, 10 * 2 ** attempt));
      }
    }
    throw new ConcurrencyLimitError(1);
  }

  async readAfter(after: number, limit: number): Promise<FeedRange> {
    const head = await this.head();
    const last = Math.min(head, after + Math.min(limit, 100));
    if (last <= after) return { changes: [], head };
    const items = await this.batchGet(rangeKeys(after, last));
    const bySeq = new Map<number, FeedChange>();
    for (const item of items) {
      const change = toFeedChange(item);
      bySeq.set(change.seq, change);
    }
    // Every position up to the head exists once the head is read (they were written in the transactions that
    // moved it); the dense prefix is kept all the same, so a page can never skip a position.
    const changes: FeedChange[] = [];
    for (let seq = after + 1; seq <= last; seq++) {
      const change = bySeq.get(seq);
      if (!change) break;
      changes.push(change);
    }
    return { changes, head };
  }

  private async batchGet(keys: readonly Key[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending: readonly Key[] = keys;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(Math.min(400, 20 * 2 ** round));
      const reply = await this.ctx.client.send(
        new BatchGetCommand(buildBatchGet(this.ctx.tableName, pending)),
      );
      found.push(...(reply.Responses?.[this.ctx.tableName] ?? []));
      pending = (reply.UnprocessedKeys?.[this.ctx.tableName]?.Keys ?? []) as Key[];
      if (round > 10 && pending.length) throw new ConcurrencyLimitError(1);
    }
    return found;
  }
}
