import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';

/**
 * Verifies a connecting client's JWT the way the HTTP API's JWT authorizer does: signature against the issuer's
 * JWKS, `iss`, lifetime (`exp` required, `nbf`), and an audience found in `aud` or (Cognito access tokens)
 * `client_id`. Issuer, audiences and JWKS URL come from the environment (`LIVE_JWT_ISSUER`, `LIVE_JWT_AUDIENCE`
 * comma-separated, `LIVE_JWKS_URI`): the user pool's in the cloud, the local development key's in `npm start`.
 * The JWKS is fetched with the platform's fetch (https in the cloud; aws-jwt-verify's own fetcher takes https
 * only) and cached by aws-jwt-verify.
 */
export interface TokenVerifierSettings {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly jwksUri: string;
}

export type VerifyToken = (token: string) => Promise<JwtPayload>;

export class TokenVerifierConfigurationError extends Error {}

export function readTokenVerifierSettings(
  env: Readonly<Record<string, string | undefined>>,
): TokenVerifierSettings {
  const issuer = env.LIVE_JWT_ISSUER ?? '';
  const audiences = (env.LIVE_JWT_AUDIENCE ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const jwksUri = env.LIVE_JWKS_URI ?? '';
  const problems = [
    issuer ? null : 'LIVE_JWT_ISSUER must name the token issuer',
    audiences.length ? null : 'LIVE_JWT_AUDIENCE must list the accepted audiences',
    /^https?:\/\//.test(jwksUri) ? null : 'LIVE_JWKS_URI must be the URL of the issuer JWKS',
  ].filter((p): p is string => p !== null);
  if (problems.length) throw new TokenVerifierConfigurationError(problems.join('; '));
  return { issuer, audiences, jwksUri };
}

const platformFetcher = {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new Error(`JWKS ${uri} answered ${response.status}`);
    return response.arrayBuffer();
  },
};

export function tokenVerifier(settings: TokenVerifierSettings): VerifyToken {
  const verifier = JwtVerifier.create(
    {
      issuer: settings.issuer,
      jwksUri: settings.jwksUri,
      // The audience is checked below, in `aud` or `client_id`, as API Gateway's JWT authorizer does.
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (typeof payload.exp !== 'number') throw new Error('the token has no expiry (exp)');
        const audiences = [
          ...(Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : []),
          ...(typeof payload.client_id === 'string' ? [payload.client_id] : []),
        ];
        if (!audiences.some((a) => settings.audiences.includes(a)))
          throw new Error('the token is not for this API (aud, client_id)');
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: platformFetcher }) },
  );
  return (token) => verifier.verify(token) as Promise<JwtPayload>;
}
