import { useCallback, useEffect, useState } from 'preact/hooks';
import { isMissingRoute, path } from '../api.js';
import { useApp } from '../app-context.js';
import { Countdown } from '../components/countdown.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import type { Problem } from '../problems.js';
import { isAdmin } from '../session.js';
import type { Cart, Reservation } from '../types.js';

const STATUSES = ['HELD', 'CONFIRMED', 'RELEASED', 'EXPIRED', 'FULFILLED', 'CANCELLED'] as const;

/** Holds and carts: a storefront caller's own, everyone's for an admin (the API decides which it answers). */
export function HoldsPage() {
  const { session } = useApp();
  const admin = isAdmin(session);
  const [owner, setOwner] = useState('');
  const [shown, setShown] = useState('');
  return (
    <main id="main" tabIndex={-1}>
      <h1>
        {admin ? (shown ? `Holds and carts of ${shown}` : 'Your holds and carts') : 'Your holds and carts'}
      </h1>
      {admin ? (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            setShown(owner.trim());
          }}
        >
          <label>
            Caller (its sub; empty for yours)
            <input name="ownerId" value={owner} onInput={(e) => setOwner(e.currentTarget.value)} />
          </label>
          <button type="submit">Show</button>
        </form>
      ) : null}
      <HoldsList key={`h-${shown}`} ownerId={shown} />
      <CartsList key={`c-${shown}`} ownerId={shown} />
    </main>
  );
}

function useOutcome() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return { problem, done, setProblem, setDone };
}

function HoldsList({ ownerId }: { ownerId: string }) {
  const { api } = useApp();
  const [status, setStatus] = useState<string>('HELD');
  const [holds, setHolds] = useState<Reservation[] | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [next, setNext] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const outcome = useOutcome();
  const cursor = cursors[cursors.length - 1] ?? null;
  const load = useCallback(async () => {
    const a = await api.get<{ reservations: Reservation[]; nextCursor: string | null }>('/reservations', {
      status,
      limit: 25,
      cursor,
      ownerId,
    });
    if (a.ok) {
      setHolds(a.data.reservations);
      setNext(a.data.nextCursor);
    } else if (isMissingRoute(a)) setMissing(true);
    else outcome.setProblem(a.problem);
  }, [api, status, cursor, ownerId, outcome.setProblem]);
  useEffect(() => void load(), [load]);
  const act = async (hold: Reservation, verb: 'confirm' | 'release' | 'extend') => {
    outcome.setProblem(null);
    outcome.setDone(null);
    const a = await api.send('POST', path`/reservations/${hold.reservationId}/${verb}`, {});
    if (!a.ok) return outcome.setProblem(a.problem);
    outcome.setDone(`Hold ${hold.reservationId}: ${verb} done.`);
    void load();
  };
  return (
    <section>
      <h2>Holds</h2>
      <form class="row" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value);
              setCursors([null]);
            }}
          >
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      {missing ? (
        <Notice>
          This server cannot list reservations yet (no <code>GET /reservations</code> route).
        </Notice>
      ) : null}
      <ProblemBox problem={outcome.problem} action="Hold" />
      {outcome.done ? (
        <div class="done" role="status">
          {outcome.done}
        </div>
      ) : null}
      {holds ? (
        <ScrollRegion label="Holds">
          <table>
            <caption>{holds.length} on this page</caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Location</th>
                <th scope="col" class="num">
                  Units
                </th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Expires in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {holds.map((h) => (
                <tr key={h.reservationId}>
                  <th scope="row">{h.sku}</th>
                  <td>{h.locationId}</td>
                  <td class="num">{h.quantity}</td>
                  <td>{h.ownerId}</td>
                  <td>{h.status}</td>
                  <td>{h.status === 'HELD' ? <Countdown until={h.expiresAt} /> : ''}</td>
                  <td>
                    {h.status === 'HELD' && !h.cartId ? (
                      <span class="row">
                        <button
                          type="button"
                          onClick={() => void act(h, 'confirm')}
                          aria-label={`Confirm hold of ${h.quantity} ${h.sku}`}
                        >
                          Confirm
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => void act(h, 'extend')}
                          aria-label={`Extend hold of ${h.quantity} ${h.sku}`}
                        >
                          Extend
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => void act(h, 'release')}
                          aria-label={`Release hold of ${h.quantity} ${h.sku}`}
                        >
                          Release
                        </button>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {holds ? (
        <div class="row">
          <button
            type="button"
            class="secondary"
            disabled={cursors.length < 2}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous page
          </button>
          <button
            type="button"
            class="secondary"
            disabled={!next}
            onClick={() => next && setCursors((c) => [...c, next])}
          >
            Next page
          </button>
        </div>
      ) : null}
    </section>
  );
}

function CartsList({ ownerId }: { ownerId: string }) {
  const { api, session } = useApp();
  const [carts, setCarts] = useState<Cart[] | null>(null);
  const [missing, setMissing] = useState(false);
  const outcome = useOutcome();
  const load = useCallback(async () => {
    const a = await api.get<{ carts: Cart[] }>('/carts', { limit: 25, ownerId });
    if (a.ok) setCarts(a.data.carts);
    else if (isMissingRoute(a)) setMissing(true);
    else outcome.setProblem(a.problem);
  }, [api, ownerId, outcome.setProblem]);
  useEffect(() => void load(), [load]);
  const act = async (cart: Cart, verb: 'confirm' | 'release') => {
    outcome.setProblem(null);
    outcome.setDone(null);
    const a = await api.send('POST', path`/carts/${cart.cartId}/${verb}`);
    if (!a.ok) return outcome.setProblem(a.problem);
    outcome.setDone(`Cart ${cart.cartId}: ${verb} done.`);
    void load();
  };
  return (
    <section>
      <h2>Carts</h2>
      {missing ? (
        <Notice>
          This server cannot list carts yet (no <code>GET /carts</code> route).
        </Notice>
      ) : null}
      <ProblemBox problem={outcome.problem} action="Cart" />
      {outcome.done ? (
        <div class="done" role="status">
          {outcome.done}
        </div>
      ) : null}
      {carts?.length === 0 ? <p>None.</p> : null}
      {carts?.map((c) => (
        <div class="panel" key={c.cartId}>
          <p>
            <strong>{c.cartId}</strong> {c.status}
            {c.ownerId ? ` (${c.ownerId})` : ''}
            {c.status === 'HELD' && c.expiresAt ? (
              <>
                , expires in <Countdown until={c.expiresAt} />
              </>
            ) : null}
          </p>
          <ul>
            {c.holds?.map((h) => (
              <li key={h.reservationId}>
                {h.quantity} × {h.sku} at {h.locationId}: {h.status}
              </li>
            ))}
          </ul>
          {c.status === 'HELD' && (!c.ownerId || c.ownerId === session.sub) ? (
            <span class="row">
              <button type="button" onClick={() => void act(c, 'confirm')}>
                Confirm cart {c.cartId}
              </button>
              <button type="button" class="secondary" onClick={() => void act(c, 'release')}>
                Release cart {c.cartId}
              </button>
            </span>
          ) : null}
        </div>
      ))}
    </section>
  );
}
