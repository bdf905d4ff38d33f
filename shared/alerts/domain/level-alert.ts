import type { LocationId, Sku } from '../../kernel/identifiers.js';

/**
 * The alert state of a level (the sum of its shards): whether it is low (below its reorder point) and whether
 * it is out (nothing available). A threshold event reports a change of this state; see
 * docs/decisions/0011-events-from-the-stream.md for how the change is decided once.
 */
export interface AlertState {
  readonly low: boolean;
  readonly out: boolean;
}

export const QUIET: AlertState = Object.freeze({ low: false, out: false });

export type ThresholdEvent = 'StockLow' | 'StockOut' | 'StockBackInStock';

export function alertStateOf(available: number, reorderPoint: number | null): AlertState {
  return { low: reorderPoint !== null && available < reorderPoint, out: available <= 0 };
}

export const sameState = (a: AlertState, b: AlertState): boolean => a.low === b.low && a.out === b.out;

/**
 * The threshold events of a change of state: StockLow when the level becomes low, StockOut when it runs out,
 * StockBackInStock when it stops being out. Becoming not-low emits nothing: it re-arms StockLow.
 */
export function thresholdEvents(before: AlertState, after: AlertState): ThresholdEvent[] {
  const events: ThresholdEvent[] = [];
  if (!before.low && after.low) events.push('StockLow');
  if (!before.out && after.out) events.push('StockOut');
  if (before.out && !after.out) events.push('StockBackInStock');
  return events;
}

/** One look at a level: its state, what produced it, and the level's version (sum over shards) at the time. */
export interface AlertObservation extends AlertState {
  readonly sku: Sku;
  readonly locationId: LocationId;
  /** The level's version (summed over its shards) that was observed. Observations only move forward. */
  readonly version: number;
  /**
   * The version of each shard that the observation saw: a stream record of a shard at or below it made a change
   * that the observation already included, so it has nothing new to observe.
   */
  readonly shardVersions: Readonly<Record<number, number>>;
  readonly available: number;
  readonly reorderPoint: number | null;
  readonly reorderQuantity: number | null;
  /** The movement whose stream record made the observation. */
  readonly movementId: string;
  /** When that movement happened. */
  readonly at: string;
}

/** The recorded alert state of a level: its last observation that changed the state, and what it emitted. */
export interface LevelAlert extends AlertObservation {
  readonly events: readonly ThresholdEvent[];
}
