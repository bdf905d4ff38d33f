import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type ApiAnswer, isMissingRoute } from './api.js';
import type { Problem } from './problems.js';

/** A page of a listing route: its items under the route's own name, and the cursor of the next page. */
export interface Page {
  readonly nextCursor: string | null;
}

/** Moving between the pages of a listing: back along the cursors followed, forward by the last page's cursor. */
export interface Paging {
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
  readonly previous: () => void;
  readonly next: () => void;
}

export interface PagedList<T> {
  /** The items of the page shown; null until a page has been read. */
  readonly items: T[] | null;
  /** Changes the items shown in place (figures that follow the live feed). */
  readonly setItems: (update: (items: T[] | null) => T[] | null) => void;
  /** Why the last read failed; null after a read that succeeded. */
  readonly problem: Problem | null;
  /** The last read failed because the server has no such route (yet). */
  readonly missing: boolean;
  /** Reads the page shown again. */
  readonly reload: () => Promise<void>;
  /** Back to the first page (after the listing's filters changed). */
  readonly firstPage: () => void;
  readonly paging: Paging;
}

/**
 * One listing read by cursor a page at a time: `fetchPage` reads the page at a cursor (null: the first); it is
 * read again whenever `fetchPage` changes (memoize it on its filters). `itemsOf` picks the page's items.
 */
export function usePagedList<P extends Page, T>(
  fetchPage: (cursor: string | null) => Promise<ApiAnswer<P>>,
  itemsOf: (page: P) => T[],
): PagedList<T> {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missing, setMissing] = useState(false);
  const pick = useRef(itemsOf);
  pick.current = itemsOf;
  const cursor = cursors[cursors.length - 1] ?? null;
  const reload = useCallback(async () => {
    const answer = await fetchPage(cursor);
    if (!answer.ok) {
      setMissing(isMissingRoute(answer));
      setProblem(answer.problem);
      return;
    }
    setMissing(false);
    setProblem(null);
    setItems(pick.current(answer.data));
    setNext(answer.data.nextCursor);
  }, [fetchPage, cursor]);
  useEffect(() => void reload(), [reload]);
  const firstPage = useCallback(() => setCursors([null]), []);
  return {
    items,
    setItems,
    problem,
    missing,
    reload,
    firstPage,
    paging: {
      hasPrevious: cursors.length > 1,
      hasNext: Boolean(next),
      previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
      next: () => {
        if (next) setCursors((c) => [...c, next]);
      },
    },
  };
}
