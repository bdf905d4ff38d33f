import { alertStateOf } from '../../alerts/domain/level-alert.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';

export const LEVEL_FILTERS = ['low-stock', 'out-of-stock', 'has-holds', 'blocked'] as const;
export type LevelFilter = (typeof LEVEL_FILTERS)[number];

/**
 * Whether a level passes a filter of the levels listing. Low and out mean what the threshold events mean
 * (alertStateOf): low is below the reorder point, out is nothing available.
 */
export function levelMatches(filter: LevelFilter | null, level: StockLevel): boolean {
  const state = alertStateOf(level.available, level.policy.reorderPoint);
  switch (filter) {
    case null:
      return true;
    case 'low-stock':
      return state.low;
    case 'out-of-stock':
      return state.out;
    case 'has-holds':
      return level.reserved > 0;
    case 'blocked':
      return level.unavailable > 0;
  }
}

/** A level the low-stock report lists: below its reorder point, or out of stock. */
export function isLowOrOut(level: StockLevel): boolean {
  const state = alertStateOf(level.available, level.policy.reorderPoint);
  return state.low || state.out;
}
