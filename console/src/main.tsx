import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { apiClient } from './api.js';
import { App, type AppContext } from './app-context.js';
import { type ConsoleConfig, loadConfig } from './config.js';
import { EventsPage } from './pages/events.js';
import { Guard } from './pages/guard.js';
import { HoldsPage } from './pages/holds.js';
import { ImportsPage } from './pages/imports.js';
import { LevelPage } from './pages/level.js';
import { SignIn } from './pages/sign-in.js';
import { LocationList, StockTable } from './pages/stock.js';
import { href, type Route, useRoute } from './router.js';
import {
  clearSession,
  finishHostedSignIn,
  hostedSignOutUrl,
  isAdmin,
  type Session,
  seesHolds,
  seesStock,
  storedSession,
  storeSession,
} from './session.js';

const STOCK_WHO = 'warehouse users (at their locations) and admins';
const HOLDS_WHO = 'storefront callers and admins';

/** The pages a caller is offered: only those whose API its role may call. */
function pagesFor(session: Session): { parts: string[]; text: string }[] {
  return [
    ...(seesStock(session) ? [{ parts: ['stock'], text: 'Stock' }] : []),
    ...(seesHolds(session) ? [{ parts: ['holds'], text: 'Holds and carts' }] : []),
    ...(isAdmin(session) ? [{ parts: ['events'], text: 'Events' }] : []),
    ...(seesStock(session) ? [{ parts: ['imports'], text: 'Imports' }] : []),
  ];
}

function Page({ route, session }: { route: Route; session: Session }) {
  const [first, a, b] = route.parts;
  switch (first) {
    case 'stock':
      return (
        <Guard allows={seesStock} who={STOCK_WHO}>
          {a ? <StockTable key={a} locationId={a} /> : <LocationList />}
        </Guard>
      );
    case 'level':
      return (
        <Guard allows={seesStock} who={STOCK_WHO}>
          {a && b ? <LevelPage key={`${a}@${b}`} sku={a} locationId={b} /> : null}
        </Guard>
      );
    case 'holds':
      return (
        <Guard allows={seesHolds} who={HOLDS_WHO}>
          <HoldsPage />
        </Guard>
      );
    case 'events':
      return (
        <Guard allows={isAdmin} who="admins">
          <EventsPage />
        </Guard>
      );
    case 'imports':
      return (
        <Guard allows={seesStock} who={STOCK_WHO}>
          <ImportsPage />
        </Guard>
      );
    default: {
      const home = pagesFor(session)[0];
      return (
        <main id="main" tabIndex={-1}>
          <h1>Inventory console</h1>
          {home ? (
            <p>
              <a href={href(home.parts)}>Go to {home.text}</a>
            </p>
          ) : (
            <p>Your role has no page here.</p>
          )}
        </main>
      );
    }
  }
}

function Shell({ app }: { app: AppContext }) {
  const route = useRoute();
  const current = route.parts[0] === 'level' ? 'stock' : route.parts[0];
  return (
    <App.Provider value={app}>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Inventory console</span>
        <nav aria-label="Pages">
          <ul>
            {pagesFor(app.session).map((p) => (
              <li key={p.text}>
                <a href={href(p.parts)} aria-current={current === p.parts[0] ? 'page' : undefined}>
                  {p.text}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {app.session.sub} ({app.session.roles.join(', ')}
          {app.session.locations.length > 0 ? ` at ${app.session.locations.join(', ')}` : ''})
        </span>
        <button type="button" onClick={app.signOut}>
          Sign out
        </button>
      </header>
      <Page route={route} session={app.session} />
    </App.Provider>
  );
}

function Console({ config }: { config: ConsoleConfig }) {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    finishHostedSignIn(config).then(
      (s) => s && setSession(s),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [config]);
  const app = useMemo<AppContext | null>(() => {
    if (!session) return null;
    const signOut = () => {
      clearSession();
      setSession(null);
      if (config.auth.kind === 'cognito') location.assign(hostedSignOutUrl(config.auth));
    };
    const api = apiClient(
      config.apiUrl.replace(/\/$/, ''),
      () => session.token,
      () => {
        clearSession();
        setSession(null);
        setError('Your sign-in has expired or was refused: sign in again.');
      },
    );
    return { config, session, api, signOut };
  }, [config, session]);
  if (!app)
    return (
      <SignIn
        config={config}
        error={error}
        onSignedIn={(s) => {
          storeSession(s);
          setError(null);
          setSession(s);
        }}
      />
    );
  return <Shell app={app} />;
}

const root = document.getElementById('app');
if (root) {
  loadConfig().then(
    (config) => {
      root.textContent = '';
      render(<Console config={config} />, root);
    },
    (e: unknown) =>
      render(
        <p class="problem" role="alert">
          The console could not load its settings: {String(e)}
        </p>,
        root,
      ),
  );
}
