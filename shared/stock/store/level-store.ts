import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type {
  AdjustCommand,
  BlockCommand,
  CountCommand,
  PolicyCommand,
  RebalanceCommand,
  ReceiveCommand,
  TransferCommand,
} from '../../platform/store/commands.js';
import type { LevelShard } from '../domain/level-shard.js';
import type { StockLevel } from '../domain/stock-level.js';

/** The result of a stock change: either it was applied now, or it is the replay of an earlier one. */
export interface WriteOutcome {
  readonly replayed: boolean;
  /** The movements written (by the first attempt, on a replay). */
  readonly movementIds: readonly string[];
}

/**
 * Storage of stock levels and their shards. Every stock change is one transaction with its movements, spread
 * over or taken from the level's shards; a refused write comes back as a typed domain error.
 */
export interface LevelStore {
  receive(cmd: ReceiveCommand): Promise<WriteOutcome>;
  adjust(cmd: AdjustCommand): Promise<WriteOutcome>;
  count(cmd: CountCommand, currentOnHand: number): Promise<WriteOutcome>;
  block(cmd: BlockCommand): Promise<WriteOutcome>;
  transfer(cmd: TransferCommand): Promise<WriteOutcome>;
  /** Sets a level's number of active shards and spreads its free units over them (compare-and-set). */
  rebalance(cmd: RebalanceCommand): Promise<WriteOutcome>;
  /** Changes a level's policy; false when its safety stock is no longer the one read (nothing changed). */
  changePolicy(cmd: PolicyCommand): Promise<boolean>;

  getLevel(sku: Sku, locationId: LocationId): Promise<StockLevel | null>;
  /** Every level of a SKU. */
  getAvailability(sku: Sku): Promise<StockLevel[]>;
  /** Every shard of a level (strongly consistent). */
  getLevelShards(sku: Sku, locationId: LocationId): Promise<LevelShard[]>;
  /** One shard of a level (strongly consistent). */
  getLevelShard(sku: Sku, locationId: LocationId, shard: number): Promise<LevelShard | null>;
}
