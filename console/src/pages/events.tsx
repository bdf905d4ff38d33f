import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isMissingRoute } from '../api.js';
import { useApp } from '../app-context.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import type { Problem } from '../problems.js';

interface BusEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly time: string;
  readonly detail: Record<string, unknown> | null;
}

const KEEP = 500;
const POLL_MS = 2000;

/**
 * The domain events as they are published: the local runtime's `GET /events` (admin), read for what is new every
 * two seconds; filtered by type and SKU on the page.
 */
export function EventsPage() {
  const { api } = useApp();
  const [events, setEvents] = useState<BusEvent[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missing, setMissing] = useState(false);
  const [type, setType] = useState('');
  const [sku, setSku] = useState('');
  const [paused, setPaused] = useState(false);
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (paused || missing) return;
    let stopped = false;
    const poll = async () => {
      const a = await api.get<{ events: BusEvent[] }>('/events', { after: last.current, limit: 200 });
      if (stopped) return;
      if (!a.ok) {
        if (isMissingRoute(a) || a.status === 404) setMissing(true);
        else setProblem(a.problem);
        return;
      }
      setProblem(null);
      const fresh = a.data.events;
      const newest = fresh[fresh.length - 1];
      if (newest) last.current = newest.id;
      if (fresh.length > 0) setEvents((known) => [...fresh.reverse(), ...known].slice(0, KEEP));
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, paused, missing]);
  const types = useMemo(() => [...new Set(events.map((e) => e['detail-type']))].sort(), [events]);
  const shown = events.filter(
    (e) =>
      (!type || e['detail-type'] === type) && (!sku || String(e.detail?.sku ?? '').startsWith(sku.trim())),
  );
  return (
    <main id="main" tabIndex={-1}>
      <h1>Events</h1>
      {missing ? (
        <Notice>
          This server has no event stream to show (the local runtime's <code>GET /events</code> is not running
          here; in the cloud, the event bus's archive keeps the events).
        </Notice>
      ) : null}
      <ProblemBox problem={problem} />
      <form class="row" onSubmit={(e) => e.preventDefault()}>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          SKU starts with
          <input value={sku} onInput={(e) => setSku(e.currentTarget.value)} />
        </label>
        <button type="button" class="secondary" onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </button>
      </form>
      <p class="live" role="status">
        {paused ? 'Paused' : `Newest first, read every ${POLL_MS / 1000} s`}: {shown.length} of{' '}
        {events.length} shown
      </p>
      <ScrollRegion label="Events">
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col">SKU</th>
              <th scope="col">Location</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.time}>{new Date(e.time).toLocaleTimeString()}</time>
                </td>
                <td>{e['detail-type']}</td>
                <td>{String(e.detail?.sku ?? '')}</td>
                <td>{String(e.detail?.locationId ?? '')}</td>
                <td>
                  <code>{JSON.stringify(e.detail).slice(0, 160)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </main>
  );
}
