import type { LocationId, PrincipalId } from '../../kernel/identifiers.js';
import { callerFromClaims, claimList } from '../../platform/http/caller.js';
import type { VerifyToken } from '../adapters/token-verifier.js';
import type { LiveCaller } from '../domain/access.js';

/** What the authorizer hands to every route of the connection (API Gateway's context: strings only). */
export interface ConnectionContext {
  readonly principal: string;
  /** Space-separated roles. */
  readonly roles: string;
  /** Space-separated locations (a warehouse's scope). */
  readonly locations: string;
}

/**
 * Decides a connection attempt from its `token` query parameter.
 * 1. No token: refused.
 * 2. Verify the token (signature, issuer, audience, lifetime); any failure: refused.
 * 3. Read the caller from its claims as the HTTP API does (sub, roles, locations); no usable caller: refused.
 * 4. Allowed: the caller as the connection's context.
 */
export async function authorizeConnection(
  verify: VerifyToken,
  token: string | undefined | null,
): Promise<ConnectionContext | null> {
  if (!token) return null;
  try {
    const caller = callerFromClaims(await verify(token));
    return {
      principal: caller.principal,
      roles: [...caller.roles].join(' '),
      locations: [...caller.locations].join(' '),
    };
  } catch {
    return null;
  }
}

/** The caller of a connection, from the context its authorizer gave. Null when there is none. */
export function callerOfContext(
  context: Readonly<Record<string, unknown>> | null | undefined,
): LiveCaller | null {
  if (!context || typeof context.principal !== 'string' || context.principal === '') return null;
  return {
    principal: context.principal as PrincipalId,
    roles: new Set(claimList(context.roles)),
    // Written by the authorizer from the verified token's claims, ids already checked there.
    locations: new Set(claimList(context.locations) as LocationId[]),
  };
}
