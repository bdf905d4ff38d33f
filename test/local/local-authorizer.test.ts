import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateDevSigningKey } from '../../infra/local/dev-keys.js';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { verifyBearer } from '../../infra/local/local-authorizer.js';

const aKey = () => loadOrCreateDevSigningKey(join(mkdtempSync(join(tmpdir(), 'authorizer-')), 'key.json'));

describe('the local JWT authorizer', () => {
  it('answers a remembered token’s claims until it expires, and refuses it after', async () => {
    // Prepare: a token valid for 60 s, verified once
    const key = await aKey();
    const token = await signDevToken(key, { sub: 'buyer-1', roles: ['storefront'] }, '60s');
    const issuedAt = Date.now();
    const first = await verifyBearer(key, `Bearer ${token}`, () => issuedAt);

    // Act
    const again = await verifyBearer(key, `Bearer ${token}`, () => issuedAt + 30_000);
    const expired = await verifyBearer(key, `Bearer ${token}`, () => issuedAt + 61_000);

    // Assess
    expect(first?.claims.sub).toBe('buyer-1');
    expect(again).toEqual(first);
    expect(expired).toBeNull();
  });

  it('refuses a token signed by another key, even one that was accepted with its own key', async () => {
    // Prepare
    const [key, other] = [await aKey(), await aKey()];
    const token = await signDevToken(other, { sub: 'buyer-2', roles: ['storefront'] });
    const accepted = await verifyBearer(other, `Bearer ${token}`);

    // Act
    const refused = await verifyBearer(key, `Bearer ${token}`);

    // Assess
    expect(accepted?.claims.sub).toBe('buyer-2');
    expect(refused).toBeNull();
  });
});
