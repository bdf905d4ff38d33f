import type { Aggregation, Gauges, Scope } from '../domain/aggregation.js';
import type { StoredHour } from '../domain/series.js';

/** The aggregates of the change feed, and how far into the feed they are (docs/decisions/0025). */
export interface AnalyticsStore {
  /** The feed position the aggregates include (0: none). Strongly consistent. */
  position(): Promise<number>;
  /** Each scope's running totals (strongly consistent); absent scopes are zero. */
  totals(scopes: readonly Scope[]): Promise<Map<Scope, Gauges>>;
  /**
   * Adds an aggregation of the feed's positions `from+1 .. to`, if the aggregates are still at `from`
   * (compare-and-set): false when another run got there first, and nothing was written.
   */
  apply(from: number, to: number, aggregation: Aggregation, at: string): Promise<boolean>;
  /** A scope's stored hours from `fromHour` to `toHour` (inclusive), in order. */
  hours(scope: Scope, fromHour: string, toHour: string): Promise<StoredHour[]>;
  /** A scope's last stored hour before `hour`. */
  hourBefore(scope: Scope, hour: string): Promise<StoredHour | null>;
}
