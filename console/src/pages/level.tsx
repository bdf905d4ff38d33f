import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { isMissingRoute, path } from '../api.js';
import { useApp } from '../app-context.js';
import { ActionForm } from '../components/action-form.js';
import { LevelChart } from '../components/chart.js';
import { Countdown } from '../components/countdown.js';
import { LiveBadge } from '../components/live-badge.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { historyOf } from '../history.js';
import type { Problem } from '../problems.js';
import { href } from '../router.js';
import { isAdmin, mayOperateAt } from '../session.js';
import type { Level, Location, Movement, Replenishment, Reservation } from '../types.js';
import { useLiveLevels } from '../use-live.js';

const MOVEMENTS_PAGE = 100;

const BUCKETS: readonly [keyof Level, string][] = [
  ['onHand', 'On hand'],
  ['available', 'Available'],
  ['reserved', 'Held'],
  ['committed', 'Committed'],
  ['unavailable', 'Blocked'],
  ['safetyStock', 'Safety stock'],
  ['incoming', 'Incoming'],
];

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const BUCKET_NAMES: Record<string, string> = {
  onHand: 'on hand',
  reserved: 'held',
  committed: 'committed',
  unavailable: 'blocked',
  safetyStock: 'safety',
  incoming: 'incoming',
};
const deltaText = (m: Movement) =>
  Object.entries(m.delta)
    .map(([bucket, n]) => `${BUCKET_NAMES[bucket] ?? bucket} ${signed(n ?? 0)}`)
    .join(', ');
const when = (iso: string) => new Date(iso).toLocaleString();

/** One level: its buckets, its history as a chart and a ledger, its holds, its replenishment, and what may be done to it. */
export function LevelPage({ sku, locationId }: { sku: string; locationId: string }) {
  const { api, session } = useApp();
  const [level, setLevel] = useState<Level | null>(null);
  const [absent, setAbsent] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [movements, setMovements] = useState<Movement[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const levelPath = path`/skus/${sku}/locations/${locationId}`;
  const operates = mayOperateAt(session, locationId);

  const load = useCallback(async () => {
    const [levelAnswer, movementAnswer] = await Promise.all([
      api.get<Level>(levelPath),
      api.get<{ movements: Movement[]; nextCursor: string | null }>(`${levelPath}/movements`, {
        order: 'desc',
        limit: MOVEMENTS_PAGE,
      }),
    ]);
    if (!levelAnswer.ok) {
      const notFound = levelAnswer.status === 404 && !isMissingRoute(levelAnswer);
      setAbsent(notFound);
      setProblem(notFound ? null : levelAnswer.problem);
      setLevel(null);
      return;
    }
    setAbsent(false);
    setProblem(null);
    setLevel(levelAnswer.data);
    if (movementAnswer.ok) {
      setMovements(movementAnswer.data.movements);
      setOlderCursor(movementAnswer.data.nextCursor);
    }
  }, [api, levelPath]);
  useEffect(() => void load(), [load]);

  const live = useLiveLevels(
    level ? [{ sku, locationId }] : [],
    (_s, _l, figures) => {
      if (!level || figures.version > level.version) void load();
    },
    () => void load(),
  );

  const loadOlder = async () => {
    if (!olderCursor) return;
    const answer = await api.get<{ movements: Movement[]; nextCursor: string | null }>(
      `${levelPath}/movements`,
      {
        order: 'desc',
        limit: MOVEMENTS_PAGE,
        cursor: olderCursor,
      },
    );
    if (answer.ok) {
      setMovements((m) => [...m, ...answer.data.movements]);
      setOlderCursor(answer.data.nextCursor);
    }
  };

  const points = useMemo(() => (level ? historyOf(level, movements) : []), [level, movements]);

  return (
    <main id="main" tabIndex={-1}>
      <p>
        <a href={href(['stock', locationId])}>← Stock at {locationId}</a>
      </p>
      <h1>
        {sku} at {locationId}
      </h1>
      <ProblemBox problem={problem} />
      {absent ? (
        <Notice>
          There is no stock level of {sku} at {locationId} yet. Receiving units creates it.
        </Notice>
      ) : null}
      {level ? (
        <>
          <LiveBadge state={live.state} why={live.why} />
          <dl class="buckets" aria-label="Buckets">
            {BUCKETS.map(([key, text]) => (
              <div key={key} data-bucket={key}>
                <dt>{text}</dt>
                <dd>{String(level[key])}</dd>
              </div>
            ))}
          </dl>
          <p class="muted">
            Version {level.version}
            {level.updatedAt ? `, last changed ${when(level.updatedAt)}` : ''}
            {level.shards > 1 ? `, split into ${level.shards} shards` : ''}
            {level.expiredHeld
              ? `; ${level.expiredHeld.quantity} units of expired holds not yet released`
              : ''}
          </p>
          <h2>On hand and available over time</h2>
          <LevelChart points={points} title={`On hand and available of ${sku} at ${locationId}`} />
        </>
      ) : null}
      {operates && (level || absent) ? (
        <Actions level={level} sku={sku} locationId={locationId} onChanged={() => void load()} />
      ) : null}
      {level ? (
        <div class="grid">
          <section>
            <Policy level={level} />
            <Replenishments
              sku={sku}
              locationId={locationId}
              operates={operates}
              onChanged={() => void load()}
            />
          </section>
          <section>
            <Holds sku={sku} locationId={locationId} />
          </section>
        </div>
      ) : null}
      {level ? (
        <section>
          <h2>Movements</h2>
          <ScrollRegion label="Movements">
            <table>
              <caption>Newest first; every change of the level, with who made it and why</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Type</th>
                  <th scope="col">Change</th>
                  <th scope="col">Who</th>
                  <th scope="col">Why</th>
                  <th scope="col">Reference</th>
                </tr>
              </thead>
              <tbody>
                {movements.map((m) => (
                  <tr key={m.movementId}>
                    <td>
                      <time dateTime={m.at}>{when(m.at)}</time>
                    </td>
                    <td>{m.type}</td>
                    <td>{deltaText(m)}</td>
                    <td>{m.actor}</td>
                    <td>{m.reason ?? ''}</td>
                    <td>{m.reference ? `${m.reference.type}:${m.reference.id}` : (m.reservationId ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {olderCursor ? (
            <button type="button" class="secondary" onClick={() => void loadOlder()}>
              Load older movements
            </button>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}

function Actions({
  level,
  sku,
  locationId,
  onChanged,
}: {
  level: Level | null;
  sku: string;
  locationId: string;
  onChanged: () => void;
}) {
  const { api, session } = useApp();
  const [locations, setLocations] = useState<Location[]>([]);
  useEffect(() => {
    void api.get<{ locations: Location[] }>('/locations').then((a) => a.ok && setLocations(a.data.locations));
  }, [api]);
  const at = path`/skus/${sku}/locations/${locationId}`;
  const post = (suffix: string) => (body: Record<string, unknown>) =>
    api.send('POST', `${at}${suffix}`, body, { idempotent: true });
  const reason = { name: 'reason', label: 'Why', kind: 'text' } as const;
  const reference = {
    name: 'reference',
    label: 'Reference (type:id, e.g. po:1042)',
    kind: 'reference',
  } as const;
  const quantity = { name: 'quantity', label: 'Units', kind: 'integer', required: true } as const;
  const targets = locations.filter(
    (l) => l.locationId !== locationId && l.active !== false && mayOperateAt(session, l.locationId),
  );
  const changed = (data: unknown) => {
    void data;
    onChanged();
  };
  return (
    <section>
      <h2>Actions</h2>
      <div class="grid">
        <ActionForm
          title="Receive"
          fields={[quantity, reason, reference]}
          submit={post('/receipts')}
          onDone={changed}
        />
        {level ? (
          <>
            <ActionForm
              title="Adjust"
              fields={[
                { name: 'delta', label: 'Change of on hand (+/-)', kind: 'integer', required: true },
                { ...reason, required: true },
                reference,
              ]}
              submit={post('/adjustments')}
              onDone={changed}
            />
            <ActionForm
              title="Count"
              fields={[
                { name: 'onHand', label: 'Counted on hand', kind: 'integer', required: true },
                {
                  name: 'expectedVersion',
                  label: 'Version counted against',
                  kind: 'integer',
                  required: true,
                  initial: String(level.version),
                },
                reason,
              ]}
              submit={post('/counts')}
              onDone={changed}
            />
            <ActionForm
              title="Block"
              fields={[quantity, reason, reference]}
              submit={post('/blocks')}
              onDone={changed}
            />
            <ActionForm
              title="Unblock"
              fields={[quantity, reason, reference]}
              submit={post('/unblocks')}
              onDone={changed}
            />
            {targets.length > 0 ? (
              <ActionForm
                title="Transfer"
                fields={[
                  {
                    name: 'to',
                    label: 'To location',
                    kind: 'select',
                    options: targets.map((l) => ({
                      value: l.locationId,
                      text: `${l.name} (${l.locationId})`,
                    })),
                  },
                  quantity,
                  reason,
                  reference,
                ]}
                submit={(body) =>
                  api.send(
                    'POST',
                    path`/skus/${sku}/transfers`,
                    { ...body, from: locationId },
                    { idempotent: true },
                  )
                }
                onDone={changed}
              />
            ) : null}
            <ActionForm
              title="Set policy"
              fields={[
                {
                  name: 'reorderPoint',
                  label: 'Reorder point (empty clears)',
                  kind: 'integer',
                  initial: String(level.reorderPoint ?? ''),
                  emptyIsNull: true,
                },
                {
                  name: 'reorderQuantity',
                  label: 'Reorder quantity (empty clears)',
                  kind: 'integer',
                  initial: String(level.reorderQuantity ?? ''),
                  emptyIsNull: true,
                },
                {
                  name: 'safetyStock',
                  label: 'Safety stock',
                  kind: 'integer',
                  initial: String(level.safetyStock),
                },
              ]}
              submit={(body) => api.send('PATCH', `${at}/replenishment-policy`, body)}
              onDone={changed}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}

function Policy({ level }: { level: Level }) {
  return (
    <>
      <h2>Replenishment policy</h2>
      <p>
        {level.reorderPoint === null
          ? 'No reorder point: the level never reports low stock.'
          : `Low below ${level.reorderPoint} available; ${level.reorderQuantity === null ? 'then only an alert' : `then a request for ${level.reorderQuantity} units`}.`}{' '}
        Safety stock {level.safetyStock}.
      </p>
    </>
  );
}

function Replenishments({
  sku,
  locationId,
  operates,
  onChanged,
}: {
  sku: string;
  locationId: string;
  operates: boolean;
  onChanged: () => void;
}) {
  const { api } = useApp();
  const [requests, setRequests] = useState<Replenishment[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const load = useCallback(async () => {
    const answer = await api.get<{ requests: Replenishment[] }>('/replenishments', {
      state: 'OPEN',
      locationId,
      sku,
    });
    if (answer.ok) setRequests(answer.data.requests);
    else setProblem(answer.problem);
  }, [api, locationId, sku]);
  useEffect(() => void load(), [load]);
  const at = (r: Replenishment) => path`/skus/${sku}/locations/${locationId}/replenishments/${r.requestId}`;
  const done = () => {
    void load();
    onChanged();
  };
  return (
    <>
      <h2>Open replenishment requests</h2>
      <ProblemBox problem={problem} />
      {requests?.length === 0 ? <p>None.</p> : null}
      {requests?.map((r) => (
        <div class="panel" key={r.requestId}>
          <p>
            {r.quantity} units asked {when(r.createdAt)}; {r.receivedQuantity} received, {r.outstanding} still
            expected.
          </p>
          {operates ? (
            <>
              <ActionForm
                title="Receive against request"
                fields={[
                  {
                    name: 'quantity',
                    label: 'Units',
                    kind: 'integer',
                    required: true,
                    initial: String(r.outstanding),
                  },
                  { name: 'reason', label: 'Why', kind: 'text' },
                ]}
                submit={(body) => api.send('POST', `${at(r)}/receive`, body, { idempotent: true })}
                onDone={done}
              />
              <ActionForm
                title="Cancel request"
                fields={[{ name: 'reason', label: 'Why', kind: 'text' }]}
                submit={(body) => api.send('POST', `${at(r)}/cancel`, body)}
                onDone={done}
              />
            </>
          ) : null}
        </div>
      ))}
    </>
  );
}

/**
 * The level's live holds: `GET /reservations?sku=&locationId=` is for admins (a warehouse user sees the held units
 * in the buckets; the reservations themselves belong to the storefronts and are not offered to it).
 */
function Holds({ sku, locationId }: { sku: string; locationId: string }) {
  const { api, session } = useApp();
  const admin = isAdmin(session);
  const [holds, setHolds] = useState<Reservation[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  useEffect(() => {
    if (!admin) return;
    void api
      .get<{ reservations: Reservation[] }>('/reservations', { status: 'HELD', sku, locationId, limit: 100 })
      .then((a) => {
        if (a.ok)
          return setHolds(a.data.reservations.filter((r) => r.sku === sku && r.locationId === locationId));
        if (isMissingRoute(a)) setMissing(true);
        else setProblem(a.problem);
      });
  }, [api, admin, sku, locationId]);
  return (
    <>
      <h2>Live holds</h2>
      {admin ? null : (
        <p>The held units are in the buckets above; the holds themselves are listed for admins.</p>
      )}
      {missing ? (
        <Notice>
          This server cannot list reservations yet (no <code>GET /reservations</code> route).
        </Notice>
      ) : null}
      <ProblemBox problem={problem} />
      {holds?.length === 0 ? <p>None.</p> : null}
      {holds && holds.length > 0 ? (
        <ul>
          {holds.map((h) => (
            <li key={h.reservationId}>
              {h.quantity} units for {h.ownerId}, expires in <Countdown until={h.expiresAt} />
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
