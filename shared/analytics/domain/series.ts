import { type Gauges, HOUR_COUNTS, type HourCounts, NO_COUNTS, NO_GAUGES } from './aggregation.js';

/** One stored hour of a scope. */
export interface StoredHour {
  readonly hour: string;
  readonly counts: HourCounts;
  readonly gauges: Gauges;
}

export interface SeriesPoint extends HourCounts, Gauges {
  /** The hour's start, ISO. */
  readonly hour: string;
  /** Holds confirmed ÷ holds created in the hour; null when none was created. */
  readonly holdToConfirmRate: number | null;
  /**
   * Hours until what is available at the end of the hour is gone at the hour's pace (units reserved in it);
   * null when nothing was reserved in the hour.
   */
  readonly hoursToSellOut: number | null;
}

export const MAX_SERIES_HOURS = 24 * 31;
const HOUR_MS = 3_600_000;

/** The hours from `from` (inclusive) to `to` (exclusive), as `2026-11-29T19`. */
export function hoursBetween(fromMs: number, toMs: number): string[] {
  const hours: string[] = [];
  for (let t = Math.floor(fromMs / HOUR_MS) * HOUR_MS; t < toMs; t += HOUR_MS)
    hours.push(new Date(t).toISOString().slice(0, 13));
  return hours;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Every hour of a range, in order: the counts of the hours that had changes (zero otherwise) and the gauges as
 * of the hour's last change, carried forward through hours without one (from `before`, the last stored hour
 * before the range, or zero).
 */
export function seriesOf(
  hours: readonly string[],
  stored: readonly StoredHour[],
  before: StoredHour | null,
): SeriesPoint[] {
  const byHour = new Map(stored.map((h) => [h.hour, h]));
  let gauges = before?.gauges ?? NO_GAUGES;
  return hours.map((hour) => {
    const found = byHour.get(hour);
    if (found) gauges = found.gauges;
    const counts = found?.counts ?? NO_COUNTS;
    return {
      hour: `${hour}:00:00.000Z`,
      ...Object.fromEntries(HOUR_COUNTS.map((k) => [k, counts[k]])),
      ...gauges,
      holdToConfirmRate: counts.holdsCreated > 0 ? round(counts.holdsConfirmed / counts.holdsCreated) : null,
      hoursToSellOut:
        counts.unitsReserved > 0 ? round(Math.max(gauges.available, 0) / counts.unitsReserved) : null,
    } as SeriesPoint;
  });
}
