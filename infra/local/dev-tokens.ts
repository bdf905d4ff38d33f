import { SignJWT } from 'jose';
import { LOCATIONS_CLAIM, ROLES_CLAIM, type Role } from '../../shared/platform/http/caller.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, type DevSigningKey } from './dev-keys.js';

export interface DevTokenClaims {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** Warehouse scope. */
  readonly locations?: readonly string[];
}

/** A bearer token for the local runtime, signed with the development key. */
export function signDevToken(
  key: DevSigningKey,
  claims: DevTokenClaims,
  expiresIn: string | number = '24h',
): Promise<string> {
  return new SignJWT({
    [ROLES_CLAIM]: [...claims.roles],
    ...(claims.locations ? { [LOCATIONS_CLAIM]: [...claims.locations] } : {}),
  })
    .setProtectedHeader({ alg: DEV_ALGORITHM, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key.privateKey);
}
