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

/**
 * The key file exists but holds no usable key. It is never replaced silently: a new key would make every token
 * printed before stop working without a word.
 */
export class DevKeyFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `${file} ${problem}. It holds the local development signing key; delete it and npm start makes a new one ` +
        '(tokens printed before then stop working: paste the new export lines).',
    );
    this.name = 'DevKeyFileError';
  }
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
    value.privateJwk !== null &&
    typeof value.publicJwk === 'object' &&
    value.publicJwk !== null
  );
}

async function readKeyFile(file: string): Promise<DevSigningKey> {
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DevKeyFileError(file, `is not valid JSON (${error instanceof Error ? error.message : error})`);
  }
  if (!isKeyFile(stored))
    throw new DevKeyFileError(file, 'does not hold a key pair ({"privateJwk", "publicJwk"})');
  try {
    const privateKey = await importJWK(stored.privateJwk, DEV_ALGORITHM);
    const publicKey = await importJWK(stored.publicJwk, DEV_ALGORITHM);
    if (!(privateKey instanceof Uint8Array) && !(publicKey instanceof Uint8Array))
      return { privateKey, publicKey };
  } catch {
    // reported below
  }
  throw new DevKeyFileError(file, `does not hold a usable ${DEV_ALGORITHM} key pair`);
}

/**
 * The key stored at `file`, or a new one written there (readable by the owner only) when there is no file.
 * A file that holds no usable key is refused (DevKeyFileError), never overwritten.
 */
export async function loadOrCreateDevSigningKey(file: string): Promise<DevSigningKey> {
  if (existsSync(file)) return readKeyFile(file);
  const key = await newDevSigningKey();
  mkdirSync(dirname(file), { recursive: true });
  const body = { privateJwk: await exportJWK(key.privateKey), publicJwk: await exportJWK(key.publicKey) };
  writeFileSync(file, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  return key;
}
