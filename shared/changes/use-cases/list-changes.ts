import { ValidationError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Stores } from '../../platform/runtime/stores.js';
import type { FeedChange } from '../domain/change.js';
import { decodeChangeCursor, encodeChangeCursor } from '../domain/change-cursor.js';

export interface ChangesQuery {
  /** A cursor the feed returned; absent: from the feed's start. */
  readonly after: string | null;
  readonly limit: number;
  readonly sku: Sku | null;
  readonly locationId: LocationId | null;
}

export interface ChangesPage {
  readonly changes: readonly FeedChange[];
  /** Where the next page starts; always given, also at the end (keep it to resume later). */
  readonly nextCursor: string;
  /** Whether the feed held more after this page when it was read. */
  readonly hasMore: boolean;
}

/** How many positions one filtered page may read at most (10 reads of 100). */
export const MAX_POSITIONS_PER_FILTERED_PAGE = 1_000;

/**
 * A page of the change feed after a cursor.
 * 1. Decode the cursor (a forged one, or one beyond the feed's head, is a ValidationError on `after`).
 * 2. Read the positions after it, 100 at a time, up to the feed's head; keep the changes that pass the filters,
 *    until `limit` are kept or (filtered) MAX_POSITIONS_PER_FILTERED_PAGE positions are read.
 * 3. The next cursor is the last position read: a change is never skipped (positions are dense) nor repeated.
 */
export async function listChanges(deps: Pick<Stores, 'changes'>, query: ChangesQuery): Promise<ChangesPage> {
  const start = query.after === null ? 0 : decodeChangeCursor(query.after, 'after');
  const filtered = query.sku !== null || query.locationId !== null;
  const kept: FeedChange[] = [];
  let position = start;
  let head = start;
  while (kept.length < query.limit) {
    const want = filtered ? 100 : query.limit - kept.length;
    const range = await deps.changes.readAfter(position, want);
    head = range.head;
    if (start > head) {
      // Not a cursor this feed returned (positions only grow): answering "nothing yet" would skip what comes.
      throw new ValidationError('after', 'after is beyond the end of the change feed');
    }
    for (const change of range.changes) {
      if (kept.length === query.limit) break;
      position = change.seq;
      if (matches(change, query)) kept.push(change);
    }
    if (range.changes.length === 0 || position >= head) break;
    if (filtered && position - start >= MAX_POSITIONS_PER_FILTERED_PAGE) break;
  }
  return { changes: kept, nextCursor: encodeChangeCursor(position), hasMore: position < head };
}

const matches = (change: FeedChange, query: ChangesQuery): boolean =>
  (query.sku === null || change.sku === query.sku) &&
  (query.locationId === null || change.locationId === query.locationId);
