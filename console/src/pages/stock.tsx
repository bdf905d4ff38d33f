import { useCallback, useEffect, useState } from 'preact/hooks';
import { path } from '../api.js';
import { useApp } from '../app-context.js';
import { LiveBadge } from '../components/live-badge.js';
import { Pager } from '../components/pager.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import type { LevelFigures } from '../live.js';
import type { Problem } from '../problems.js';
import { href } from '../router.js';
import { isAdmin } from '../session.js';
import type { Level, Location } from '../types.js';
import { useLiveLevels } from '../use-live.js';
import { usePagedList } from '../use-paged-list.js';

const FILTERS = [
  ['', 'All levels'],
  ['low-stock', 'Low stock'],
  ['out-of-stock', 'Out of stock'],
  ['has-holds', 'With holds'],
  ['blocked', 'With blocked units'],
] as const;
const PAGE_SIZE = 25;

/** The locations the caller may see stock at: all for an admin, its own for a warehouse user. */
export function LocationList() {
  const { api, session } = useApp();
  const [locations, setLocations] = useState<Location[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    void api.get<{ locations: Location[] }>('/locations').then((a) => {
      if (!a.ok) return setProblem(a.problem);
      setLocations(
        a.data.locations.filter((l) => isAdmin(session) || session.locations.includes(l.locationId)),
      );
    });
  }, [api, session]);
  return (
    <main id="main" tabIndex={-1}>
      <h1>Stock by location</h1>
      <ProblemBox problem={problem} />
      {locations === null && !problem ? <p>Loading locations…</p> : null}
      {locations?.length === 0 ? <p>No location is yours to see.</p> : null}
      <ul>
        {locations?.map((l) => (
          <li key={l.locationId}>
            <a href={href(['stock', l.locationId])}>
              {l.name} ({l.locationId})
            </a>
            {l.active === false ? ' (inactive)' : ''}
          </li>
        ))}
      </ul>
    </main>
  );
}

const levelsOf = (page: { levels: Level[] }) => page.levels;

function withFigures(level: Level, figures: LevelFigures): Level {
  return figures.version > level.version ? { ...level, ...figures } : level;
}

/** The levels of one location: filters, paging, and figures that follow the live feed. */
export function StockTable({ locationId }: { locationId: string }) {
  const { api } = useApp();
  const [prefix, setPrefix] = useState('');
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState({ prefix: '', filter: '' });
  const [openSku, setOpenSku] = useState('');
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api.get<{ levels: Level[]; nextCursor: string | null }>(path`/locations/${locationId}/levels`, {
        skuPrefix: applied.prefix,
        filter: applied.filter,
        limit: PAGE_SIZE,
        cursor,
      }),
    [api, locationId, applied],
  );
  const list = usePagedList(fetchPage, levelsOf);
  const { items: levels, missing, problem } = list;

  // Every level of the location on one subscription: the rows shown take the deltas of their SKU.
  const live = useLiveLevels(
    [{ topic: `location:${locationId}` }],
    (sku, loc, figures) =>
      list.setItems(
        (rows) =>
          rows?.map((r) => (r.sku === sku && r.locationId === loc ? withFigures(r, figures) : r)) ?? rows,
      ),
    () => void list.reload(),
  );

  return (
    <main id="main" tabIndex={-1}>
      <h1>Stock at {locationId}</h1>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ prefix: prefix.trim(), filter });
          list.firstPage();
        }}
      >
        <label>
          SKU starts with
          <input name="skuPrefix" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
        </label>
        <label>
          Show
          <select name="filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
            {FILTERS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (openSku.trim()) location.hash = href(['level', openSku.trim(), locationId]);
        }}
      >
        <label>
          Open the level of a SKU (receiving creates it)
          <input name="sku" value={openSku} onInput={(e) => setOpenSku(e.currentTarget.value)} />
        </label>
        <button type="submit" class="secondary">
          Open level
        </button>
      </form>
      {missing ? (
        <Notice>
          This server cannot list a location's levels yet (<code>GET /locations/{'{locationId}'}/levels</code>{' '}
          is not one of its routes). Open a level by its SKU above.
        </Notice>
      ) : (
        <ProblemBox problem={problem} />
      )}
      {levels && !missing ? (
        <>
          <LiveBadge state={live.state} why={live.why} />
          <ScrollRegion label={`Levels at ${locationId}`}>
            <table>
              <caption>
                {levels.length} level{levels.length === 1 ? '' : 's'} on this page
              </caption>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col" class="num">
                    On hand
                  </th>
                  <th scope="col" class="num">
                    Available
                  </th>
                  <th scope="col" class="num">
                    Held
                  </th>
                  <th scope="col" class="num">
                    Committed
                  </th>
                  <th scope="col" class="num">
                    Blocked
                  </th>
                  <th scope="col" class="num">
                    Incoming
                  </th>
                  <th scope="col" class="num">
                    Reorder point
                  </th>
                </tr>
              </thead>
              <tbody>
                {levels.map((l) => (
                  <tr key={l.sku} data-sku={l.sku}>
                    <th scope="row">
                      <a href={href(['level', l.sku, l.locationId])}>{l.sku}</a>
                    </th>
                    <td class="num" data-col="onHand">
                      {l.onHand}
                    </td>
                    <td class="num" data-col="available">
                      {l.available}
                    </td>
                    <td class="num" data-col="reserved">
                      {l.reserved}
                    </td>
                    <td class="num">{l.committed}</td>
                    <td class="num">{l.unavailable}</td>
                    <td class="num">{l.incoming}</td>
                    <td class="num">{l.reorderPoint ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <Pager label={`levels at ${locationId}`} paging={list.paging} />
        </>
      ) : null}
    </main>
  );
}
