import { ConcurrencyLimitError, InsufficientStockError, NotFoundError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { partMovementId } from '../../kernel/ids.js';
import type {
  AdjustCommand,
  BlockCommand,
  CountCommand,
  PolicyCommand,
  RebalanceCommand,
  ReceiveCommand,
  TransferCommand,
} from '../../platform/store/commands.js';
import { toLevelShard, toStockLevel } from '../../platform/store/records.js';
import {
  getItem,
  type StoreContext,
  sendFinal,
  unexpected,
  writeOutcome,
} from '../../platform/store/store-context.js';
import { transact } from '../../platform/store/transact.js';
import { buildPolicyChange } from '../../replenishment/store/requests/replenishment.js';
import type { LevelShard } from '../domain/level-shard.js';
import { planTake, type ShardPart, spread } from '../domain/sharding.js';
import type { StockLevel } from '../domain/stock-level.js';
import {
  learnShardMap,
  randomShard,
  readLevelShards,
  readSkuLevelShards,
  shardMap,
  unitsHeld,
} from './level-shards.js';
import type { LevelStore, WriteOutcome } from './level-store.js';
import { buildLevelShardGet } from './requests/levels.js';
import { buildRebalance } from './requests/rebalance.js';
import {
  buildAdjust,
  buildBlock,
  buildCount,
  buildReceive,
  buildTransfer,
  type Planned,
} from './requests/stock-changes.js';
import type { ShardMap } from './shard-directory.js';
import { PLAN_AGAIN, retryOverShards, shardsKeptChanging } from './shard-retry.js';

/** Times a rebalance is planned again from a fresh read when the level sold what a shard was to give. */
const REBALANCE_ROUNDS = 5;
/**
 * A rebalance competes with the buyers for the hot shard's throughput: it waits longer between attempts than a
 * reserve does (within an API request, still only while the request's time allows: see `transact`).
 */
const REBALANCE_RETRY = { attempts: 20, baseDelayMs: 50, maxDelayMs: 2_000 };

/** The DynamoDB implementation of LevelStore: builds requests with the pure builders and sends them. */
export class DynamoLevelStore implements LevelStore {
  constructor(private readonly ctx: StoreContext) {}

  receive(cmd: ReceiveCommand): Promise<WriteOutcome> {
    return this.adding(cmd.sku, cmd.locationId, cmd.quantity, (parts) =>
      buildReceive(this.ctx.tableName, cmd, parts),
    );
  }

  adjust(cmd: AdjustCommand): Promise<WriteOutcome> {
    const build = (parts: readonly ShardPart[]) => buildAdjust(this.ctx.tableName, cmd, parts);
    return cmd.delta > 0
      ? this.adding(cmd.sku, cmd.locationId, cmd.delta, build)
      : this.taking(cmd.sku, cmd.locationId, 'available', -cmd.delta, build);
  }

  async count(cmd: CountCommand, currentOnHand: number): Promise<WriteOutcome> {
    const planned = buildCount(this.ctx.tableName, cmd, currentOnHand);
    return writeOutcome(await sendFinal(this.ctx, planned), planned.movementIds);
  }

  block(cmd: BlockCommand): Promise<WriteOutcome> {
    const bucket = cmd.direction === 'block' ? 'available' : 'unavailable';
    return this.taking(cmd.sku, cmd.locationId, bucket, cmd.quantity, (parts) =>
      buildBlock(this.ctx.tableName, cmd, parts),
    );
  }

  /**
   * Takes from the source's shards as `taking` does and adds over the destination's active shards; when the
   * destination's shard count changed under the plan (its receiving shard retired), the transaction changed
   * nothing: the new map is remembered and the receiving side planned again.
   */
  async transfer(cmd: TransferCommand): Promise<WriteOutcome> {
    const receiving = (active: number) => spread(cmd.quantity, active, randomShard(active));
    let inParts = receiving((await shardMap(this.ctx, cmd.sku, cmd.to)).active);
    return this.taking(
      cmd.sku,
      cmd.from,
      'available',
      cmd.quantity,
      (outParts) => buildTransfer(this.ctx.tableName, cmd, outParts, inParts),
      (map) => {
        this.ctx.directory.learn(cmd.sku, cmd.to, map);
        inParts = receiving(map.active);
      },
    );
  }

  /**
   * The rebalance's transactions in order (requests/rebalance.ts). A transaction refused because a shard no
   * longer has the units it was to give (the level sells meanwhile) changed nothing: the shards are read again
   * and what is left is planned again, a bounded number of times. Every transaction balances, so whichever of
   * them applied, no unit was lost or made.
   */
  async rebalance(cmd: RebalanceCommand): Promise<WriteOutcome> {
    const movementIds: string[] = [];
    for (let round = 0; round < REBALANCE_ROUNDS; round++) {
      const current = await readLevelShards(this.ctx, cmd.sku, cmd.locationId);
      if (current.length === 0) throw new NotFoundError('level', `${cmd.sku}@${cmd.locationId}`);
      const movementId = round === 0 ? cmd.movementId : partMovementId(cmd.movementId, 10_000 * round);
      let refused = false;
      for (const planned of buildRebalance(this.ctx.tableName, { ...cmd, movementId }, current)) {
        const outcome = await transact(this.ctx.client, planned, REBALANCE_RETRY);
        // Planned from a read that a concurrent rebalance made stale (short of units, or a span it would shrink).
        if (
          outcome.kind === 'stale-shard-map' ||
          (outcome.kind === 'error' && outcome.error instanceof InsufficientStockError)
        ) {
          refused = true;
          break;
        }
        if (outcome.kind === 'error') throw outcome.error;
        if (outcome.kind !== 'applied') throw unexpected(outcome);
        movementIds.push(...planned.movementIds);
      }
      if (!refused) {
        const span = Math.max(cmd.shards, ...current.map((s) => Math.max(s.shardSpan, s.shard + 1)));
        this.ctx.directory.learn(cmd.sku, cmd.locationId, { active: cmd.shards, span });
        return { replayed: false, movementIds };
      }
    }
    throw new ConcurrencyLimitError(1);
  }

  async changePolicy(cmd: PolicyCommand): Promise<boolean> {
    const outcome = await transact(
      this.ctx.client,
      buildPolicyChange(this.ctx.tableName, cmd),
      this.ctx.retry,
    );
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'policy-conflict') return false;
    if (outcome.kind === 'error') throw outcome.error;
    throw unexpected(outcome);
  }

  getLevelShards(sku: Sku, locationId: LocationId): Promise<LevelShard[]> {
    return readLevelShards(this.ctx, sku, locationId);
  }

  async getLevelShard(sku: Sku, locationId: LocationId, shard: number): Promise<LevelShard | null> {
    const item = await getItem(this.ctx, buildLevelShardGet(this.ctx.tableName, sku, locationId, shard));
    return item ? toLevelShard(item) : null;
  }

  async getLevel(sku: Sku, locationId: LocationId): Promise<StockLevel | null> {
    const shards = await readLevelShards(this.ctx, sku, locationId);
    return shards.length ? toStockLevel(shards) : null;
  }

  async getAvailability(sku: Sku): Promise<StockLevel[]> {
    return (await readSkuLevelShards(this.ctx, sku)).map(toStockLevel);
  }

  /**
   * Adds units spread over the level's active shards; a stale shard map is refreshed and the write retried (busy,
   * nothing written, when it is stale at every attempt).
   */
  private adding(
    sku: Sku,
    locationId: LocationId,
    quantity: number,
    build: (parts: readonly ShardPart[]) => Planned,
  ): Promise<WriteOutcome> {
    return retryOverShards<WriteOutcome>(4, async () => {
      const { active } = await shardMap(this.ctx, sku, locationId);
      const planned = build(spread(quantity, active, randomShard(active)));
      const outcome = await sendFinal(this.ctx, planned);
      if (outcome.kind === 'stale-shard-map') {
        this.ctx.directory.learn(sku, locationId, outcome.map);
        return PLAN_AGAIN;
      }
      return { settled: writeOutcome(outcome, planned.movementIds) };
    });
  }

  /**
   * Takes units from a bucket of a level: from shard 0 alone when the level is known to be unsharded, otherwise
   * from the shards that hold them according to a strongly consistent read. Every part is guarded by its own
   * shard's counter, so a read that is stale by the time of the write makes the write fail, never oversell;
   * the plan is then made again from a fresh read, a bounded number of times. A write that also adds units
   * elsewhere (a transfer's destination) learns of a stale shard map there through `receivingMapChanged`, and is
   * sent again with the same taking parts.
   */
  private taking(
    sku: Sku,
    locationId: LocationId,
    bucket: 'available' | 'unavailable',
    quantity: number,
    build: (parts: readonly ShardPart[]) => Planned,
    receivingMapChanged?: (map: ShardMap) => void,
  ): Promise<WriteOutcome> {
    let parts: ShardPart[] | null =
      (this.ctx.directory.get(sku, locationId)?.span ?? 1) === 1 ? [{ shard: 0, quantity }] : null;
    let lastError: InsufficientStockError | null = null;
    return retryOverShards<WriteOutcome>(
      4,
      async () => {
        if (!parts) {
          const shards = await readLevelShards(this.ctx, sku, locationId);
          if (shards.length === 0) throw new NotFoundError('level', `${sku}@${locationId}`);
          learnShardMap(this.ctx, sku, locationId, shards);
          const holdings = shards.map((s) => ({ shard: s.shard, have: s[bucket] }));
          parts = planTake(holdings, quantity, randomShard(shards.length));
          if (!parts) {
            const available = unitsHeld(holdings);
            throw new InsufficientStockError({ sku, locationId, bucket, requested: quantity, available });
          }
        }
        const planned = build(parts);
        const outcome = await transact(this.ctx.client, planned, this.ctx.retry);
        if (outcome.kind === 'stale-shard-map' && receivingMapChanged) {
          receivingMapChanged(outcome.map);
          lastError = null;
          return PLAN_AGAIN;
        }
        if (outcome.kind !== 'error') return { settled: writeOutcome(outcome, planned.movementIds) };
        if (!(outcome.error instanceof InsufficientStockError) || !outcome.observed) throw outcome.error;
        // A single-shard level whose one shard is short: that is the answer. Otherwise plan again from a read.
        const unsharded = outcome.observed.every((o) => o.shardSpan === 1);
        if (unsharded && parts.length === 1 && parts[0]?.shard === 0) throw outcome.error;
        lastError = outcome.error;
        parts = null;
        return PLAN_AGAIN;
      },
      () =>
        lastError ??
        (receivingMapChanged
          ? shardsKeptChanging()
          : new InsufficientStockError({ sku, locationId, bucket, requested: quantity, available: 0 })),
    );
  }
}
