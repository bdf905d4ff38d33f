import { jwtVerify } from 'jose';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, type DevSigningKey } from './dev-keys.js';
import { gatewayClaims, gatewayScopes } from './gateway-claims.js';

export interface VerifiedToken {
  readonly claims: Record<string, string>;
  readonly scopes: string[] | null;
}

/**
 * Plays API Gateway's JWT authorizer: verifies the `Authorization: Bearer` token's signature, issuer, audience
 * and lifetime, and answers its claims as the gateway passes them on, or null (the gateway's 401).
 */
export async function verifyBearer(
  key: DevSigningKey,
  authorization: string | undefined,
): Promise<VerifiedToken | null> {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) return null;
  try {
    const { payload } = await jwtVerify(match[1], key.publicKey, {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      algorithms: [DEV_ALGORITHM],
    });
    return { claims: gatewayClaims(payload), scopes: gatewayScopes(payload) };
  } catch {
    return null;
  }
}
