import { describe, expect, it } from 'vitest';
import { gatewayClaims } from '../../infra/local/gateway-claims.js';
import { callerFromClaims, claimList } from '../../shared/platform/http/caller.js';
import { HttpProblem } from '../../shared/platform/http/problem.js';

const problemOf = (claims: Record<string, unknown> | undefined) => {
  try {
    callerFromClaims(claims);
    return null;
  } catch (error) {
    return error instanceof HttpProblem ? error.code : error;
  }
};

describe('claims to caller', () => {
  it('reads a list claim as API Gateway passes it, as a real array, and as plain text', () => {
    expect(claimList('[warehouse storefront]')).toEqual(['warehouse', 'storefront']);
    expect(claimList(['admin'])).toEqual(['admin']);
    expect(claimList('admin storefront')).toEqual(['admin', 'storefront']);
    expect(claimList('admin,storefront')).toEqual(['admin', 'storefront']);
    expect(claimList('[]')).toEqual([]);
    expect(claimList(42)).toEqual([]);
  });

  it('turns the claims API Gateway hands on into the same caller as the token itself', () => {
    // Prepare
    const payload = { sub: 'clerk-7', roles: ['warehouse'], locations: ['WH-1', 'WH-2'], exp: 1_900_000_000 };

    // Act
    const fromGateway = callerFromClaims(gatewayClaims(payload));
    const fromToken = callerFromClaims(payload);

    // Assess
    expect(fromGateway).toEqual(fromToken);
    expect(fromGateway.principal).toBe('clerk-7');
    expect([...fromGateway.roles]).toEqual(['warehouse']);
    expect([...fromGateway.locations]).toEqual(['WH-1', 'WH-2']);
  });

  it('refuses missing claims or an unusable subject as unauthenticated, and a token with no known role as forbidden', () => {
    expect(problemOf(undefined)).toBe('unauthorized');
    expect(problemOf({ roles: '[admin]' })).toBe('unauthorized');
    expect(problemOf({ sub: 'has space', roles: '[admin]' })).toBe('unauthorized');
    expect(problemOf({ sub: 'x', roles: '[superuser]' })).toBe('forbidden');
    expect(problemOf({ sub: 'x' })).toBe('forbidden');
  });

  it('scopes only warehouse callers to locations, and ignores malformed location ids', () => {
    const buyer = callerFromClaims({ sub: 'shop-1', roles: '[storefront]', locations: '[WH-1]' });
    const clerk = callerFromClaims({ sub: 'clerk-1', roles: '[warehouse]', locations: '[WH-1 bad#id]' });
    expect(buyer.locations.size).toBe(0);
    expect([...clerk.locations]).toEqual(['WH-1']);
  });
});
