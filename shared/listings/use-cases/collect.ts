import type { Listing } from '../store/listing-store.js';

/** Index pages one request reads at most while filters leave them short (a page may then be short, or empty). */
export const MAX_ROUNDS = 5;

export interface Collected<T> {
  readonly items: T[];
  /** The position of the last row examined, when the listing may go on after it; null at its end. */
  readonly next: string | null;
}

/**
 * Reads a listing page after page from `start`, keeping the items that pass `keep`, until `limit` are kept, the
 * listing ends or MAX_ROUNDS pages were read. Rows are examined in order and the position is the last row
 * examined, so the next request resumes exactly there: nothing is skipped, nothing repeated.
 */
export async function collect<T>(
  fetch: (after: string | null, limit: number) => Promise<Listing<T>>,
  start: string | null,
  limit: number,
  keep: (item: T) => boolean,
  rounds = MAX_ROUNDS,
): Promise<Collected<T>> {
  const items: T[] = [];
  let position = start;
  for (let round = 0; round < rounds; round++) {
    const page = await fetch(position, limit - items.length);
    for (const [i, row] of page.rows.entries()) {
      position = row.sortKey;
      if (row.item === null || !keep(row.item)) continue;
      items.push(row.item);
      if (items.length === limit) {
        return { items, next: i < page.rows.length - 1 || page.more ? position : null };
      }
    }
    if (!page.more) return { items, next: null };
  }
  return { items, next: position };
}
