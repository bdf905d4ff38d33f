import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  ConcurrencyLimitError,
  type DomainError,
  InsufficientStockError,
  InvariantViolationError,
} from '../../kernel/errors.js';
import {
  type Explanation,
  explainCancellation,
  isContentionCode,
} from '../../platform/store/failure-mapping.js';
import type { StoreContext } from '../../platform/store/store-context.js';
import { writeOutcome } from '../../platform/store/store-context.js';
import { planTake, type ShardPart } from '../../stock/domain/sharding.js';
import { learnShardMap, randomShard, readLevelShards, shardMap } from '../../stock/store/level-shards.js';
import type { WriteOutcome } from '../../stock/store/level-store.js';
import type { AtomicOutcome, BatchStore } from './batch-store.js';
import { type AtomicBatch, type BatchCommand, buildAtomicBatch } from './requests/atomic-batch.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Plans of an atomic batch: replays found are dropped and the rest sent again, sharded levels read again. */
const MAX_PLANS = 4;

const takes = (c: BatchCommand): { bucket: 'available' | 'unavailable'; quantity: number } | null => {
  if (c.kind === 'adjust') return c.cmd.delta < 0 ? { bucket: 'available', quantity: -c.cmd.delta } : null;
  if (c.kind === 'block')
    return { bucket: c.cmd.direction === 'block' ? 'available' : 'unavailable', quantity: c.cmd.quantity };
  return null;
};

const addsQuantity = (c: BatchCommand): number =>
  c.kind === 'receive' ? c.cmd.quantity : c.kind === 'adjust' && c.cmd.delta > 0 ? c.cmd.delta : 0;

type RowExplanation = Explanation | null;

/**
 * The DynamoDB implementation of BatchStore: one TransactWriteItems built from the stock feature's builders.
 * A cancellation is explained row by row from each row's own items; contention is retried like any
 * transaction (`shared/platform/store/transact.ts`), with a fresh ClientRequestToken per attempt.
 */
export class DynamoBatchStore implements BatchStore {
  constructor(private readonly ctx: StoreContext) {}

  async applyAtomically(commands: readonly BatchCommand[]): Promise<AtomicOutcome> {
    const replays = new Map<number, WriteOutcome>();
    let pending = commands.map((command, index) => ({ command, index }));
    for (let plan = 0; plan < MAX_PLANS; plan++) {
      if (pending.length === 0)
        return { applied: true, outcomes: commands.map((_, i) => replays.get(i) as WriteOutcome) };
      const parts = new Map<number, readonly ShardPart[]>();
      for (const { command, index } of pending) parts.set(index, await this.partsOf(command));
      const batch = buildAtomicBatch(
        this.ctx.tableName,
        pending.map((p) => p.command),
        (_, position) => parts.get(pending[position]?.index ?? -1) ?? [],
      );
      const explanations = await this.send(batch);
      if (explanations === 'applied') {
        const outcomes = new Map(replays);
        for (const [i, { index }] of pending.entries()) {
          outcomes.set(index, { replayed: false, movementIds: batch.movementIds[i] ?? [] });
        }
        return { applied: true, outcomes: commands.map((_, i) => outcomes.get(i) as WriteOutcome) };
      }
      const refusals = new Map<number, DomainError>();
      pending.forEach(({ command, index }, i) => {
        const e = explanations[i];
        if (!e) return;
        if (e.kind === 'idempotent-replay') replays.set(index, writeOutcome(e, []));
        else if (e.kind === 'stale-shard-map') {
          this.ctx.directory.learn(command.cmd.sku, command.cmd.locationId, e.map);
        } else if (e.kind === 'error') {
          const sharded = e.observed?.some((o) => o.shardSpan > 1) ?? false;
          if (e.error instanceof InsufficientStockError && sharded && !this.knownSharded(command)) {
            const span = Math.max(...(e.observed ?? []).map((o) => o.shardSpan));
            this.ctx.directory.learn(command.cmd.sku, command.cmd.locationId, { active: span, span });
          } else refusals.set(index, e.error);
        } else throw new InvariantViolationError(`unexpected batch outcome ${e.kind}`);
      });
      if (refusals.size > 0) return { applied: false, refusals, replays };
      // Only replays and stale shard maps: the rows left are planned and sent again.
      pending = pending.filter(({ index }) => !replays.has(index));
    }
    throw new ConcurrencyLimitError(1);
  }

  private knownSharded(command: BatchCommand): boolean {
    return (this.ctx.directory.get(command.cmd.sku, command.cmd.locationId)?.span ?? 1) > 1;
  }

  /** Adding goes to one active shard; taking from an unsharded level is shard 0, from a sharded one as read. */
  private async partsOf(command: BatchCommand): Promise<readonly ShardPart[]> {
    const { sku, locationId } = command.cmd;
    const adding = addsQuantity(command);
    if (adding > 0) {
      const { active } = await shardMap(this.ctx, sku, locationId);
      return [{ shard: randomShard(active), quantity: adding }];
    }
    const take = takes(command);
    if (!take) return [{ shard: 0, quantity: 0 }];
    if (!this.knownSharded(command)) return [{ shard: 0, quantity: take.quantity }];
    const shards = await readLevelShards(this.ctx, sku, locationId);
    learnShardMap(this.ctx, sku, locationId, shards);
    const holdings = shards.map((s) => ({ shard: s.shard, have: s[take.bucket] }));
    // Short in total: plan on shard 0 anyway, so that its guard refuses the row with what it holds.
    return (
      planTake(holdings, take.quantity, randomShard(shards.length)) ?? [{ shard: 0, quantity: take.quantity }]
    );
  }

  /** Sends the transaction; on a cancellation, each row's explanation from its own items (null: not its fault). */
  private async send({ items, roles, itemsOf }: AtomicBatch): Promise<'applied' | RowExplanation[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ctx.client.send(
          new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }),
        );
        return 'applied';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const perRow = itemsOf.map((positions) => {
          const e = explainCancellation(
            positions.map((p) => roles[p] as (typeof roles)[number]),
            positions.map((p) => reasons[p] ?? {}),
          );
          return e.kind === 'retry' || e.kind === 'unexplained' ? null : e;
        });
        if (perRow.some((e) => e !== null)) return perRow;
        const retryable = reasons.some((r) => isContentionCode(r.Code));
        if (!retryable) {
          const codes = reasons.map((r) => r.Code ?? 'None').join(', ');
          throw new InvariantViolationError(`transaction cancelled for no known reason: ${codes}`);
        }
        const { attempts, baseDelayMs, maxDelayMs } = this.ctx.retry;
        if (attempt >= attempts) throw new ConcurrencyLimitError(1);
        await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
      }
    }
  }
}
