import type { Paging } from '../use-paged-list.js';

/** The buttons that move between the pages of a listing (`usePagedList`'s paging), named for what it lists. */
export function Pager({ label, paging }: { label: string; paging: Paging }) {
  return (
    <nav class="row" aria-label={`Pages of ${label}`}>
      <button type="button" class="secondary" disabled={!paging.hasPrevious} onClick={paging.previous}>
        Previous page
      </button>
      <button type="button" class="secondary" disabled={!paging.hasNext} onClick={paging.next}>
        Next page
      </button>
    </nav>
  );
}
