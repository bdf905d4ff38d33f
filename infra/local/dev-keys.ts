import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/**
 * The local development signing key: an ES256 key pair, as an identity provider would use, kept in the
 * git-ignored data folder so that tokens printed by `npm start` still work after a restart. It signs tokens for
 * the local runtime only; a deployed API trusts its real issuer's keys instead.
 */
export const DEV_ISSUER = 'urn:inventory:local-dev';
export const DEV_AUDIENCE = 'inventory-api';
export const DEV_ALGORITHM = 'ES256';

export interface DevSigningKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export async function newDevSigningKey(): Promise<DevSigningKey> {
  return generateKeyPair(DEV_ALGORITHM, { extractable: true });
}

function isKeyFile(value: unknown): value is { privateJwk: JWK; publicJwk: JWK } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'privateJwk' in value &&
    'publicJwk' in value &&
    typeof value.privateJwk === 'object' &&
    typeof value.publicJwk === 'object'
  );
}

/** The key stored at `file`, or a new one written there (readable by the owner only). */
export async function loadOrCreateDevSigningKey(file: string): Promise<DevSigningKey> {
  if (existsSync(file)) {
    const stored: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isKeyFile(stored)) {
      const privateKey = await importJWK(stored.privateJwk, DEV_ALGORITHM);
      const publicKey = await importJWK(stored.publicJwk, DEV_ALGORITHM);
      if (!(privateKey instanceof Uint8Array) && !(publicKey instanceof Uint8Array))
        return { privateKey, publicKey };
    }
  }
  const key = await newDevSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  const body = { privateJwk: await exportJWK(key.privateKey), publicJwk: await exportJWK(key.publicKey) };
  writeFileSync(file, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  return key;
}
