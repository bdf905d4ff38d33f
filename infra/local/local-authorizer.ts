import { jwtVerify } from 'jose';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, type DevSigningKey } from './dev-keys.js';
import { gatewayClaims, gatewayScopes } from './gateway-claims.js';

export interface VerifiedToken {
  readonly claims: Record<string, string>;
  readonly scopes: string[] | null;
}

/** Tokens verified per signing key, each until it expires: an ES256 signature check is most of this function's CPU. */
const verified = new WeakMap<DevSigningKey, Map<string, { token: VerifiedToken; expiresAtMs: number }>>();
const MAX_CACHED_TOKENS = 10_000;

/**
 * Plays API Gateway's JWT authorizer: verifies the `Authorization: Bearer` token's signature, issuer, audience
 * and lifetime, and answers its claims as the gateway passes them on, or null (the gateway's 401). A token that
 * verified is remembered until its `exp` (the gateway does its own verification in the cloud; locally this keeps
 * the signature check out of every request): an expired token is checked again, and refused.
 */
export async function verifyBearer(
  key: DevSigningKey,
  authorization: string | undefined,
  now: () => number = Date.now,
): Promise<VerifiedToken | null> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) return null;
  const jwt = match[1];
  let cache = verified.get(key);
  if (!cache) {
    cache = new Map();
    verified.set(key, cache);
  }
  const hit = cache.get(jwt);
  if (hit && now() < hit.expiresAtMs) return hit.token;
  try {
    const { payload } = await jwtVerify(jwt, key.publicKey, {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      algorithms: [DEV_ALGORITHM],
      currentDate: new Date(now()),
    });
    const token = { claims: gatewayClaims(payload), scopes: gatewayScopes(payload) };
    if (typeof payload.exp === 'number') {
      if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
      cache.set(jwt, { token, expiresAtMs: payload.exp * 1000 });
    }
    return token;
  } catch {
    return null;
  }
}
