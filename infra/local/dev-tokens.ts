import { calculateJwkThumbprint, exportJWK, type JWK, SignJWT } from 'jose';
import { LOCATIONS_CLAIM, ROLES_CLAIM, type Role } from '../../shared/platform/http/caller.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, type DevSigningKey } from './dev-keys.js';

export interface DevTokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** Warehouse scope. */
  readonly locations?: readonly string[];
}

/** A bearer token for the local runtime, signed with the development key. */
export async function signDevToken(
  key: DevSigningKey,
  claims: DevTokenClaims,
  expiresIn: string | number = '24h',
): Promise<string> {
  return new SignJWT({
    [ROLES_CLAIM]: [...claims.roles],
    ...(claims.locations ? { [LOCATIONS_CLAIM]: [...claims.locations] } : {}),
  })
    .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT', kid: await devKeyId(key) })
    .setSubject(claims.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
}

/** The key's id (its RFC 7638 thumbprint), named in every token's header as an issuer's JWKS requires. */
export async function devKeyId(key: DevSigningKey): Promise<string> {
  return calculateJwkThumbprint(await exportJWK(key.publicKey));
}

/** The development key as an issuer publishes it (`/.well-known/jwks.json`), for verifiers that fetch a JWKS. */
export async function devJwks(key: DevSigningKey): Promise<{ keys: JWK[] }> {
  const jwk = await exportJWK(key.publicKey);
  return { keys: [{ ...jwk, kid: await devKeyId(key), alg: DEV_ALGORITHM, use: 'sig' }] };
}
