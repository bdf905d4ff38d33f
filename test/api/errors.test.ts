import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, newDevSigningKey } from '../../infra/local/dev-keys.js';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aLevel, anAdmin } from './support/world.js';

const api = useTestApi({ MAX_BODY_BYTES: '1024' });

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate for a missing, malformed, forged, expired or foreign token', async () => {
    // Prepare
    const foreignKey = await newDevSigningKey();
    const forged = await signDevToken(foreignKey, { sub: 'mallory', roles: ['admin'] });
    const expired = await signDevToken(
      api().key,
      { sub: 'late', roles: ['admin'] },
      Math.floor(Date.now() / 1000) - 60,
    );
    const wrongAudience = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('someone')
      .setIssuer(DEV_ISSUER)
      .setAudience(`${DEV_AUDIENCE}-other`)
      .setExpirationTime('1h')
      .sign(api().key.privateKey);

    // Act
    const replies = await Promise.all(
      [
        undefined,
        'Bearer',
        'Bearer not.a.jwt',
        `Basic ${forged}`,
        `Bearer ${forged}`,
        `Bearer ${expired}`,
        `Bearer ${wrongAudience}`,
      ].map((authorization) =>
        call(api().url, 'GET', '/locations', { headers: authorization ? { authorization } : {} }),
      ),
    );

    // Assess
    for (const reply of replies) {
      expectProblem(reply, 'unauthorized');
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers 401 for a verified token whose subject is not a valid principal, and 403 for one with no role', async () => {
    const badSubject = await api().token({ sub: 'has space', roles: ['admin'] });
    const noRole = await api().token({ sub: 'nobody', roles: [] });
    expectProblem(await call(api().url, 'GET', '/locations', { token: badSubject }), 'unauthorized');
    expectProblem(await call(api().url, 'GET', '/locations', { token: noRole }), 'forbidden');
  });

  it('serves the OpenAPI document without a token', async () => {
    const reply = await call(api().url, 'GET', '/openapi.json');

    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'No-oversell inventory API' },
      paths: {
        '/openapi.json': { get: { operationId: 'getOpenApi', security: [] } },
        '/reservations': { post: { operationId: 'reserveStock', security: [{ bearerAuth: [] }] } },
        '/reservations/{reservationId}/confirm': { post: { operationId: 'confirmReservation' } },
        '/skus/{sku}/locations/{locationId}/receipts': { post: { operationId: 'receiveStock' } },
        '/locations': { get: { operationId: 'listLocations' }, post: { operationId: 'createLocation' } },
      },
      servers: [{ url: api().url }],
      components: { schemas: { Sku: { type: 'string' }, ReserveRequest: { additionalProperties: false } } },
    });
  });
});

describe('malformed requests', () => {
  it('answers an unknown path with 404 and a known path with another method with 405', async () => {
    const admin = await anAdmin(api());
    expectProblem(await call(api().url, 'GET', '/nothing/here', { token: admin.token }), 'not-found');
    const wrongMethod = await call(api().url, 'DELETE', '/locations', { token: admin.token });
    expectProblem(wrongMethod, 'method-not-allowed');
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
  });

  it('refuses a body over the size limit with 413, changing nothing', async () => {
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', `/skus/${level.sku}/locations/${level.locationId}/receipts`, {
      token: admin.token,
      json: { quantity: 1, reason: 'x'.repeat(2000) },
    });
    expectProblem(reply, 'payload-too-large');
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ onHand: 5, version: 1 });
  });

  it('refuses a body that is not application/json with 415', async () => {
    const alice = await aBuyer(api());
    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ]) {
      const reply = await call(api().url, 'POST', '/availability/batch', {
        token: alice.token,
        raw: '{"skus":["A"]}',
        headers: { 'content-type': contentType },
      });
      expectProblem(reply, 'unsupported-media-type');
    }
  });

  it('refuses JSON that does not parse, or is not UTF-8, with 400 naming the body', async () => {
    const alice = await aBuyer(api());
    const headers = { 'content-type': 'application/json' };
    const broken = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      raw: '{"sku": ',
      headers,
    });
    const latin1 = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      raw: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]),
      headers,
    });
    for (const reply of [broken, latin1]) {
      expectProblem(reply, 'malformed-request');
      expect(reply.body.field).toBe('body');
    }
  });

  it('refuses a JSON body that is not an object, a missing required body, an unknown field and unknown query parameters', async () => {
    const alice = await aBuyer(api());
    const admin = await anAdmin(api());
    const notObject = await call(api().url, 'POST', '/reservations', { token: alice.token, json: [1, 2] });
    const missing = await call(api().url, 'POST', '/reservations', { token: alice.token });
    const unknownField = await call(api().url, 'POST', '/availability/batch', {
      token: alice.token,
      json: { skus: ['A'], extra: 1 },
    });
    const unknownQuery = await call(api().url, 'GET', '/locations?page=2', { token: admin.token });
    for (const reply of [notObject, missing, unknownField, unknownQuery])
      expectProblem(reply, 'validation-error');
    expect(notObject.body.field).toBe('body');
    expect(unknownField.body.field).toBe('extra');
    expect(unknownQuery.body.field).toBe('query');
  });

  it('refuses prototype keys in a body as unknown fields', async () => {
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', `/skus/${level.sku}/locations/${level.locationId}/receipts`, {
      token: admin.token,
      raw: '{"quantity":1,"__proto__":{"quantity":2},"constructor":{"prototype":{}}}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(reply, 'validation-error');
    expect(reply.body.errors).toEqual([
      expect.objectContaining({ field: '__proto__' }),
      expect.objectContaining({ field: 'constructor' }),
    ]);
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ onHand: 5, version: 1 });
  });

  it('lists every offending field at once, with where it was', async () => {
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', '/skus/bad%23sku/locations/WH-1/receipts?x=1', {
      token: admin.token,
      json: { quantity: 1.5, reference: { type: 'PO', id: 'ok' } },
      headers: { 'Idempotency-Key': 'has spaces in it' },
    });
    expectProblem(reply, 'validation-error');
    expect(reply.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'path', field: 'sku' }),
        expect.objectContaining({ in: 'query', field: 'query' }),
        expect.objectContaining({
          in: 'body',
          field: 'quantity',
          detail: 'must be an integer from 1 to 1000000',
        }),
        expect.objectContaining({ in: 'body', field: 'reference.type' }),
        expect.objectContaining({ in: 'header', field: 'Idempotency-Key' }),
      ]),
    );
  });
});
