import {
  type LocationId,
  type PrincipalId,
  parseLocationId,
  parsePrincipalId,
} from '../../kernel/identifiers.js';
import { HttpProblem } from './problem.js';

/**
 * Who is calling, from the claims of a verified JWT. In the cloud, API Gateway's JWT authorizer verifies the
 * token and passes its claims in `requestContext.authorizer.jwt.claims`; locally the runtime's authorizer does
 * the same. This module is the one place that turns claims into a caller, in both.
 *
 * Claims: `sub` (the principal, owner of its reservations), `roles` (storefront, warehouse, admin, analyst: read-only
 * aggregates and the change feed) and, for a warehouse, `locations` (the location ids it may operate on).
 */
export const ROLES = ['storefront', 'warehouse', 'admin', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_CLAIM = 'roles';
export const LOCATIONS_CLAIM = 'locations';

export interface Caller {
  readonly principal: PrincipalId;
  readonly roles: ReadonlySet<Role>;
  /** The locations a warehouse caller is scoped to (empty for other roles). */
  readonly locations: ReadonlySet<LocationId>;
}

export type Claims = Readonly<Record<string, unknown>>;

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/**
 * The values of a list claim. API Gateway passes every claim as a string and writes an array as
 * `[a b c]`; a token verified in process may carry a real array. Both, and a plain `a b` or `a,b`, are read.
 */
export function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner.split(/[\s,]+/).filter((v) => v.length > 0);
}

function validLocations(values: readonly string[]): LocationId[] {
  const out: LocationId[] = [];
  for (const value of values) {
    try {
      out.push(parseLocationId(value));
    } catch {
      // A malformed location id grants nothing; it is not worth refusing the token for.
    }
  }
  return out;
}

export function callerFromClaims(claims: Claims | null | undefined): Caller {
  if (!claims) throw new HttpProblem('unauthorized', 'a valid bearer token is required');
  let principal: PrincipalId;
  try {
    principal = parsePrincipalId(claims.sub, 'sub');
  } catch {
    throw new HttpProblem('unauthorized', 'the token has no usable subject (sub)');
  }
  const roles = new Set(claimList(claims[ROLES_CLAIM]).filter(isRole));
  if (roles.size === 0) throw new HttpProblem('forbidden', 'the token grants no role of this API');
  const locations = roles.has('warehouse') ? validLocations(claimList(claims[LOCATIONS_CLAIM])) : [];
  return { principal, roles, locations: new Set(locations) };
}
