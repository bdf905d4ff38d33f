import type * as z from 'zod';
import type { IdempotencyKey } from '../../kernel/identifiers.js';
import type { Role } from './caller.js';
import type { ProblemCode } from './problem-types.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/**
 * How a caller's access is narrowed beyond its role (admins are never narrowed):
 * - `none`: the role is enough;
 * - `location`: a warehouse caller must be scoped to every location the request names;
 * - `own-reservation`: a buyer sees only its own reservations (someone else's is 404), and where the route
 *   lets warehouses act, a warehouse those at its locations.
 * - `own-cart`: every caller, admins included, addresses only its own carts (a cart id is in the caller's own
 *   namespace); someone else's is 404.
 */
export type AccessScope = 'none' | 'location' | 'own-reservation' | 'own-cart';

export interface RequestSchemas {
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Refuse a request without a body (else an absent body is read as `{}`). */
  readonly bodyRequired?: boolean;
}

/**
 * One route of the API: what the CDK stack turns into a Lambda function and an API Gateway route, what the local
 * runtime serves, what the OpenAPI document describes, and what the authorization tests enumerate.
 */
export interface RouteDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway syntax: `/skus/{sku}/locations/{locationId}`. */
  readonly path: string;
  /** The Lambda entry point, relative to the repository root; it exports `handler`. */
  readonly handler: string;
  readonly summary: string;
  readonly tag:
    | 'Availability'
    | 'Stock'
    | 'Replenishment'
    | 'Reservations'
    | 'Carts'
    | 'Locations'
    | 'Meta'
    | 'Listings'
    | 'Bulk'
    | 'Changes'
    | 'Analytics';
  /** `jwt`: API Gateway's JWT authorizer guards the route; `none`: public. */
  readonly auth: 'jwt' | 'none';
  readonly roles: readonly Role[];
  readonly scope: AccessScope;
  /** What the route's function may do to the table: the CDK stack grants exactly this (least privilege). */
  readonly tableAccess: 'none' | 'read' | 'read-write';
  /** The function's timeout when it needs more than the default 10 s (API Gateway waits at most 30 s). */
  readonly timeoutSeconds?: number;
  /** The body may be as large as `maxBatchBodyBytes` (a batch route) rather than `maxBodyBytes`. */
  readonly batchBody?: boolean;
  /** The route honours an `Idempotency-Key` header. */
  readonly idempotencyKey: boolean;
  readonly request: RequestSchemas;
  readonly success: { readonly status: 200 | 201; readonly description: string; readonly schema: z.ZodType };
  /** The problems this route may answer besides the ones every route may (400, 401, 403, 413, 415, 429, 500). */
  readonly problems: readonly ProblemCode[];
  /** The indexes the route's function queries: the CDK stack grants exactly these (default `levelHolds`). */
  readonly indexes?: readonly TableIndex[];
  /**
   * A GET route's `Cache-Control` (default DEFAULT_CACHE_CONTROL): how stale a cached answer may be. Every GET
   * answer also carries an `ETag`, and an `If-None-Match` that matches it is answered 304 (docs/api.md, Caching).
   */
  readonly cacheControl?: string;
}

export type TableIndex = 'expiry' | 'levelHolds' | 'list1' | 'list2';

/** A strong read: any cache must ask again each time (a matching ETag makes that a 304 without a body). */
export const DEFAULT_CACHE_CONTROL = 'private, no-cache';

/** A route's function timeout unless the route says otherwise. */
export const DEFAULT_ROUTE_TIMEOUT_SECONDS = 10;

export const defineRoute = <const R extends RouteDefinition>(route: R): R => route;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler receives once the request has been validated against its route's schemas. */
export interface RouteInput<R extends RouteDefinition> {
  readonly path: Output<R['request']['path']>;
  readonly query: Output<R['request']['query']>;
  readonly body: Output<R['request']['body']>;
  readonly idempotencyKey: IdempotencyKey | null;
}
