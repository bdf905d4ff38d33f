import type { ConsoleConfig } from './config.js';

/** The signed-in caller: its bearer token and what the token says about it (the API decides; this only guides). */
export interface Session {
  readonly token: string;
  readonly sub: string;
  readonly roles: readonly string[];
  readonly locations: readonly string[];
  /** Seconds since the epoch, or null. */
  readonly expiresAt: number | null;
}

const KEY = 'inventory-console.session';
const PKCE_KEY = 'inventory-console.pkce';

function base64UrlDecode(part: string): string {
  const padded = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  return decodeURIComponent(
    Array.from(atob(padded), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  );
}

/** The same reading of list claims as the API's (shared/platform/http/caller.ts): an array, `[a b]`, `a b` or `a,b`. */
function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner.split(/[\s,]+/).filter((v) => v.length > 0);
}

export function sessionFromToken(token: string): Session | null {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(payload)) as Record<string, unknown>;
    return {
      token: token.trim(),
      sub: typeof claims.sub === 'string' ? claims.sub : '?',
      roles: claimList(claims.roles),
      locations: claimList(claims.locations),
      expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
    };
  } catch {
    return null;
  }
}

export function storedSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  const session = token ? sessionFromToken(token) : null;
  if (session?.expiresAt && session.expiresAt * 1000 < Date.now()) {
    sessionStorage.removeItem(KEY);
    return null;
  }
  return session;
}

export function storeSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

export const isAdmin = (s: Session) => s.roles.includes('admin');
export const isWarehouse = (s: Session) => s.roles.includes('warehouse');
export const isStorefront = (s: Session) => s.roles.includes('storefront');
/** Stock pages: warehouse users (at their locations) and admins, as the API's stock routes. */
export const seesStock = (s: Session) => isAdmin(s) || isWarehouse(s);
/** Holds and carts: storefront callers (their own) and admins, as the API's reservation routes. */
export const seesHolds = (s: Session) => isAdmin(s) || isStorefront(s);
/** May this caller operate on this location? Admins everywhere, warehouse users in their scope. */
export const mayOperateAt = (s: Session, locationId: string) =>
  isAdmin(s) || (isWarehouse(s) && s.locations.includes(locationId));

// --- Cognito hosted UI, authorization code with PKCE (RFC 7636) ---

function randomString(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...data))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The console's own address without query or hash: the callback and logout URL registered on the app client. */
export const redirectUri = () => `${location.origin}${location.pathname.replace(/index\.html$/, '')}`;

export async function startHostedSignIn(auth: { domain: string; clientId: string }): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(verifier),
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the hosted UI with `?code=&state=`: the code and the verifier kept before leaving are exchanged for
 * tokens; the access token (which carries `roles` and `locations`) becomes the session.
 */
export async function finishHostedSignIn(config: ConsoleConfig): Promise<Session | null> {
  if (config.auth.kind !== 'cognito') return null;
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return null;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', redirectUri());
  if (!saved || saved.state !== params.get('state'))
    throw new Error('the sign-in answer does not match the request');
  const response = await fetch(new URL('/oauth2/token', config.auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.auth.clientId,
      code,
      redirect_uri: redirectUri(),
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok) throw new Error(`the identity provider refused the sign-in (${response.status})`);
  const tokens = (await response.json()) as { access_token?: string };
  const session = tokens.access_token ? sessionFromToken(tokens.access_token) : null;
  if (session) storeSession(session);
  return session;
}

export function hostedSignOutUrl(auth: { domain: string; clientId: string }): string {
  const url = new URL('/logout', auth.domain);
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: redirectUri() }).toString();
  return url.toString();
}
