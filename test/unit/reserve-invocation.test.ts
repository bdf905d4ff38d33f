import { describe, expect, it } from 'vitest';
import { gatewayEventFor, nthReserve } from '../../bench/reserve-invocation.js';
import { reserveStock } from '../../shared/holds/http/routes.js';
import { callerFromClaims } from '../../shared/platform/http/caller.js';

const verified = {
  claims: { sub: 'bench-buyer-7', roles: '[storefront]', iss: 'local', exp: '1900000000' },
  scopes: null,
};

describe("the benchmark's reserve handed straight to the handler", () => {
  it('is the API Gateway event of POST /reservations, with the JSON body as text', () => {
    // Prepare
    const body = { sku: 'CPU-1', locationId: 'BENCH-WH', quantity: 1, ttlSeconds: 900 };

    // Act
    const event = gatewayEventFor(reserveStock, body, 'a.b.c', verified);

    // Assess
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /reservations');
    expect(event.rawPath).toBe('/reservations');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.parse(event.body ?? '')).toEqual(body);
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['content-length']).toBe('69');
    expect(event.headers.authorization).toBe('Bearer a.b.c');
    expect(event.pathParameters).toBeUndefined();
  });

  it("carries the verified token's claims where the handler reads its caller", () => {
    // Act
    const event = gatewayEventFor(reserveStock, {}, 'a.b.c', verified);
    const caller = callerFromClaims(event.requestContext.authorizer.jwt.claims);

    // Assess
    expect(event.requestContext.authorizer.jwt.claims).toEqual(verified.claims);
    expect(caller.principal).toBe('bench-buyer-7');
    expect([...caller.roles]).toEqual(['storefront']);
  });

  it('takes each reserve of a round from the long-tail catalogue, the buyers in turn', () => {
    // Act
    const first = nthReserve(0);
    const second = nthReserve(1);
    const wrapped = nthReserve(200);

    // Assess
    expect(first).toEqual({
      buyer: 0,
      body: { sku: 'CPU-0', locationId: 'BENCH-WH', quantity: 1, ttlSeconds: 900 },
    });
    expect(second.buyer).toBe(1);
    expect(second.body.sku).toBe('CPU-419');
    expect(wrapped.buyer).toBe(0);
    expect(wrapped.body.sku).toBe('CPU-300');
  });
});
