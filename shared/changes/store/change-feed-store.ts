import type { FeedChange, LevelChange } from '../domain/change.js';

export interface AppendOutcome {
  /** Changes given a new place in the feed. */
  readonly appended: number;
  /** Changes the feed already held (a stream record delivered again). */
  readonly duplicates: number;
}

export interface FeedRange {
  /** The changes after the position asked, in feed order, with no gap (a dense prefix). */
  readonly changes: readonly FeedChange[];
  /** The feed's head (the last `seq` given) when the range was read. */
  readonly head: number;
}

/**
 * The change feed: every change to levels, in one global order (`seq`), appended by the stream consumer in the
 * order the stream delivers each level shard's records, and read by position (docs/decisions/0024).
 */
export interface ChangeFeedStore {
  /**
   * Appends changes in the given order (a level shard's in version order). A change whose level shard the feed
   * already holds at or beyond its version is a duplicate and is skipped, so it is safe to repeat. A change whose
   * predecessor the feed lacks is refused (InvariantViolationError): a gap is never let in silently.
   */
  append(changes: readonly LevelChange[]): Promise<AppendOutcome>;
  /** The changes with `after < seq <= after + limit` that exist (limit at most 100). */
  readAfter(after: number, limit: number): Promise<FeedRange>;
  /** The feed's head: the last `seq` given (0: empty). Strongly consistent. */
  head(): Promise<number>;
}
