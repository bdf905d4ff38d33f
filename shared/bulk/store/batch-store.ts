import type { DomainError } from '../../kernel/errors.js';
import type { WriteOutcome } from '../../stock/store/level-store.js';
import type { BatchCommand } from './requests/atomic-batch.js';

export type { BatchCommand } from './requests/atomic-batch.js';

/**
 * The result of an atomic batch: every row applied (or a replay of its first application), or nothing applied
 * and the rows that refused it, each with its typed error. Rows found to be replays are answered as such either
 * way: their first application stands.
 */
export type AtomicOutcome =
  | { readonly applied: true; readonly outcomes: readonly WriteOutcome[] }
  | {
      readonly applied: false;
      readonly refusals: ReadonlyMap<number, DomainError>;
      readonly replays: ReadonlyMap<number, WriteOutcome>;
    };

/** Storage of batches of stock changes: all of them in one transaction, with their movements. */
export interface BatchStore {
  applyAtomically(commands: readonly BatchCommand[]): Promise<AtomicOutcome>;
}
