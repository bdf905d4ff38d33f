import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { InsufficientStockError, InvariantViolationError } from '../../kernel/errors.js';
import type { LocationId, ReservationId, Sku } from '../../kernel/identifiers.js';
import type {
  ExtendCommand,
  IndexedHold,
  PurgedHoldCommand,
  ReserveCommand,
  TransitionCommand,
} from '../../platform/store/commands.js';
import { explainExtendRefusal } from '../../platform/store/failure-mapping.js';
import { holdLevel } from '../../platform/store/keys.js';
import { toIndexedHold, toReservation } from '../../platform/store/records.js';
import { getItem, type StoreContext, sendFinal, unexpected } from '../../platform/store/store-context.js';
import { transact } from '../../platform/store/transact.js';
import { planTake, type ShardPart } from '../../stock/domain/sharding.js';
import {
  learnShardMap,
  randomShard,
  readLevelShards,
  shardMap,
  stepBackWhileSplitting,
  unitsHeld,
} from '../../stock/store/level-shards.js';
import { PLAN_AGAIN, retryOverShards } from '../../stock/store/shard-retry.js';
import type { Reservation } from '../domain/reservation.js';
import type { HoldStore, ReserveOutcome, TransitionOutcome } from './hold-store.js';
import { buildExpiredHoldsQuery, buildReservationGet } from './requests/holds.js';
import { buildPurgedHoldRelease } from './requests/purged-hold.js';
import { buildExtend, buildReserve, buildTransition } from './requests/reservations.js';

/** The DynamoDB implementation of HoldStore: builds requests with the pure builders and sends them. */
export class DynamoHoldStore implements HoldStore {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Reserve without reading the level first: one guarded transaction on one shard (a random one of the level's
   * active shards, as the shard directory remembers them for 30 s; when it does not know the level, what
   * the registry of sharded levels says, one read per bucket per 30 s (ADR 43), so that a new process spreads a
   * sharded level's buyers from its first reserve rather than sending them all to shard 0). When it is refused on a sharded level, read every
   * shard once (strongly consistent) and take the quantity from a shard that has it, or from several in one
   * transaction; every part stays guarded by its own shard, so a read that is stale by the time of the write
   * fails, never oversells, and is read again, a bounded number of times. Refused only when the shards together
   * cannot serve it. While a split of the level is announced to this process, it steps back (ADR 36).
   */
  async reserve(cmd: ReserveCommand): Promise<ReserveOutcome> {
    const { sku, locationId, quantity } = cmd.reservation;
    await stepBackWhileSplitting(this.ctx, sku, locationId);
    const { active } = await shardMap(this.ctx, sku, locationId);
    let parts: ShardPart[] = [{ shard: randomShard(active), quantity }];
    let available = 0;
    const insufficient = () =>
      new InsufficientStockError({ sku, locationId, requested: quantity, available });
    return retryOverShards<ReserveOutcome>(
      5,
      async () => {
        const outcome = await transact(
          this.ctx.client,
          buildReserve(this.ctx.tableName, cmd, parts),
          this.ctx.retry,
        );
        if (outcome.kind === 'applied')
          return { settled: { reservation: { ...cmd.reservation, parts }, replayed: false } };
        if (outcome.kind === 'reservation-replay')
          return { settled: { reservation: toReservation(outcome.reservation), replayed: true } };
        if (
          outcome.kind !== 'error' ||
          !(outcome.error instanceof InsufficientStockError) ||
          !outcome.observed
        )
          throw outcome.kind === 'error' ? outcome.error : unexpected(outcome);
        if (outcome.observed.every((o) => o.shardSpan === 1)) {
          available = outcome.observed[0]?.have ?? 0;
          throw insufficient();
        }
        const shards = await readLevelShards(this.ctx, sku, locationId);
        learnShardMap(this.ctx, sku, locationId, shards);
        const holdings = shards.map((s) => ({ shard: s.shard, have: s.available }));
        available = unitsHeld(holdings);
        const first = shards.find((s) => s.shard === 0);
        const next = planTake(holdings, quantity, randomShard(first?.shardCount ?? 1));
        if (!next) throw insufficient();
        parts = next;
        return PLAN_AGAIN;
      },
      insufficient,
    );
  }

  async extend(cmd: ExtendCommand): Promise<Reservation> {
    try {
      const { Attributes } = await this.ctx.client.send(
        new UpdateCommand(buildExtend(this.ctx.tableName, cmd)),
      );
      return toReservation(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? unmarshall(error.Item) : null;
      throw explainExtendRefusal(cmd.reservationId, cmd.ownerId, cmd.nowMs, cmd.expiresAt, old);
    }
  }

  async transition(cmd: TransitionCommand): Promise<TransitionOutcome> {
    const outcome = await sendFinal(this.ctx, buildTransition(this.ctx.tableName, cmd));
    if (outcome.kind === 'transition-replay')
      return { changed: false, reservation: toReservation(outcome.reservation) };
    if (outcome.kind !== 'applied') throw unexpected(outcome);
    const reservation = await this.getReservation(cmd.hold.reservationId);
    if (!reservation)
      throw new InvariantViolationError(
        `reservation ${cmd.hold.reservationId} vanished after ${cmd.transition}`,
      );
    return { changed: true, reservation };
  }

  async releasePurgedHold(cmd: PurgedHoldCommand): Promise<boolean> {
    const outcome = await sendFinal(this.ctx, buildPurgedHoldRelease(this.ctx.tableName, cmd));
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'already-restored') return false;
    throw unexpected(outcome);
  }

  findExpiredHolds(bucket: string, nowMs: number, limit: number): Promise<IndexedHold[]> {
    return this.queryHolds('expiry', bucket, nowMs, limit);
  }

  async findExpiredHoldsOfLevel(
    sku: Sku,
    locationId: LocationId,
    nowMs: number,
    limit: number,
  ): Promise<IndexedHold[]> {
    const { span } = await shardMap(this.ctx, sku, locationId);
    const perShard = await Promise.all(
      Array.from({ length: span }, (_, shard) =>
        this.queryHolds('levelHolds', holdLevel(sku, locationId, shard), nowMs, limit),
      ),
    );
    return perShard
      .flat()
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .slice(0, limit);
  }

  async getReservation(reservationId: ReservationId): Promise<Reservation | null> {
    const item = await getItem(this.ctx, buildReservationGet(this.ctx.tableName, reservationId));
    return item ? toReservation(item) : null;
  }

  private async queryHolds(
    index: 'expiry' | 'levelHolds',
    value: string,
    nowMs: number,
    limit: number,
  ): Promise<IndexedHold[]> {
    const holds: IndexedHold[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.ctx.client.send(
        new QueryCommand(
          buildExpiredHoldsQuery(this.ctx.tableName, index, value, nowMs, limit - holds.length, startKey),
        ),
      );
      holds.push(...(page.Items ?? []).map(toIndexedHold));
      startKey = page.LastEvaluatedKey;
    } while (startKey && holds.length < limit);
    return holds;
  }
}
