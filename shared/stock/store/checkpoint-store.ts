import type { Checkpoint } from '../domain/checkpoint.js';
import type { LevelShardRef } from './ledger-store.js';

/**
 * Reconciliation's own records (ADR 32): a verified checkpoint per level shard, which is also the directory of every
 * level shard reconciliation knows, and where its discovery scan of the table resumes. Never stock.
 */
export interface CheckpointStore {
  getCheckpoint(ref: LevelShardRef): Promise<Checkpoint | null>;
  /**
   * Saves a checkpoint; `first`: only when the shard has none. False when refused (one exists already, or another
   * run saved a later boundary).
   */
  saveCheckpoint(checkpoint: Checkpoint, options?: { readonly first?: boolean }): Promise<boolean>;
  /** Every level shard that has a checkpoint: a few queries, not a scan. */
  listCheckpointedShards(): Promise<LevelShardRef[]>;
  /** Where the discovery scan resumes; null: at the table's start. */
  getSweepCursor(): Promise<string | null>;
  saveSweepCursor(cursor: string | null, at: string): Promise<void>;
}
