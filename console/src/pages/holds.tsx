import { useCallback, useState } from 'preact/hooks';
import { path } from '../api.js';
import { useApp } from '../app-context.js';
import { Countdown } from '../components/countdown.js';
import { Pager } from '../components/pager.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import type { Problem } from '../problems.js';
import { isAdmin } from '../session.js';
import type { Cart, Reservation } from '../types.js';
import { usePagedList } from '../use-paged-list.js';

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

const reservationsOf = (page: { reservations: Reservation[] }) => page.reservations;

function HoldsList({ ownerId }: { ownerId: string }) {
  const { api } = useApp();
  const [status, setStatus] = useState<string>('HELD');
  const outcome = useOutcome();
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api.get<{ reservations: Reservation[]; nextCursor: string | null }>('/reservations', {
        status,
        limit: 25,
        cursor,
        ownerId,
      }),
    [api, status, ownerId],
  );
  const list = usePagedList(fetchPage, reservationsOf);
  const holds = list.items;
  const act = async (hold: Reservation, verb: 'confirm' | 'release' | 'extend') => {
    outcome.setProblem(null);
    outcome.setDone(null);
    const a = await api.send('POST', path`/reservations/${hold.reservationId}/${verb}`, {});
    if (!a.ok) return outcome.setProblem(a.problem);
    outcome.setDone(`Hold ${hold.reservationId}: ${verb} done.`);
    void list.reload();
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
              list.firstPage();
            }}
          >
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </form>
      {list.missing ? (
        <Notice>
          This server cannot list reservations yet (no <code>GET /reservations</code> route).
        </Notice>
      ) : null}
      <ProblemBox problem={outcome.problem ?? (list.missing ? null : list.problem)} action="Hold" />
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
      {holds ? <Pager label="holds" paging={list.paging} /> : null}
    </section>
  );
}

const cartsOf = (page: { carts: Cart[] }) => page.carts;

function CartsList({ ownerId }: { ownerId: string }) {
  const { api, session } = useApp();
  const outcome = useOutcome();
  const fetchPage = useCallback(
    (cursor: string | null) =>
      api.get<{ carts: Cart[]; nextCursor: string | null }>('/carts', { limit: 25, cursor, ownerId }),
    [api, ownerId],
  );
  const list = usePagedList(fetchPage, cartsOf);
  const carts = list.items;
  const act = async (cart: Cart, verb: 'confirm' | 'release') => {
    outcome.setProblem(null);
    outcome.setDone(null);
    const a = await api.send('POST', path`/carts/${cart.cartId}/${verb}`);
    if (!a.ok) return outcome.setProblem(a.problem);
    outcome.setDone(`Cart ${cart.cartId}: ${verb} done.`);
    void list.reload();
  };
  return (
    <section>
      <h2>Carts</h2>
      {list.missing ? (
        <Notice>
          This server cannot list carts yet (no <code>GET /carts</code> route).
        </Notice>
      ) : null}
      <ProblemBox problem={outcome.problem ?? (list.missing ? null : list.problem)} action="Cart" />
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
      {carts ? <Pager label="carts" paging={list.paging} /> : null}
    </section>
  );
}
