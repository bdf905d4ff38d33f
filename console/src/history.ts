import { COUNTED_BUCKETS } from '../../shared/stock/domain/stock-level.js';
import type { Bucket, Level, Movement } from './types.js';

/** One point of a level's history: its figures just after a movement. */
export interface HistoryPoint {
  /** Seconds since the epoch. */
  readonly at: number;
  readonly onHand: number;
  readonly available: number;
}

const availableOf = (b: Record<Bucket, number>) =>
  Math.max(0, b.onHand - b.reserved - b.committed - b.unavailable - b.safetyStock);

/**
 * On hand and available over time, from the level as it is now and its newest movements (newest first, as
 * `GET .../movements?order=desc` answers them): walking back from now, each movement's deltas are taken off to
 * find the figures before it. The ledger has every change of every bucket, so the points are exact for the span
 * the movements cover; the oldest point is the level just after the oldest movement given.
 */
export function historyOf(level: Level, newestFirst: readonly Movement[]): HistoryPoint[] {
  const after: Record<Bucket, number> = {
    onHand: level.onHand,
    reserved: level.reserved,
    committed: level.committed,
    unavailable: level.unavailable,
    safetyStock: level.safetyStock,
    incoming: level.incoming,
  };
  const points: HistoryPoint[] = [];
  for (const movement of newestFirst) {
    points.push({ at: Date.parse(movement.at) / 1000, onHand: after.onHand, available: availableOf(after) });
    for (const bucket of COUNTED_BUCKETS) after[bucket] -= movement.delta[bucket] ?? 0;
  }
  return points.reverse();
}
