import type * as z from 'zod';
import { DEFAULT_SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { type JsonSchema, SchemaConverter } from './json-schema.js';
import { PROBLEM_TYPES, type ProblemCode, problemTypeUri } from './problem-types.js';
import { DEFAULT_CACHE_CONTROL, type RouteDefinition } from './route.js';
import { ROUTE_TABLE } from './route-table.js';
import { idempotencyKeySchema } from './schemas/common.js';
import { problemSchema } from './schemas/problem.js';

export const API_VERSION = '0.1.0';

const SCOPE_NOTES: Record<RouteDefinition['scope'], string> = {
  none: '',
  location: ' A warehouse caller must be scoped to every location the request names (else 403).',
  'own-reservation':
    " A buyer sees only its own reservations: anyone else's is answered 404, exactly like a missing one.",
  'own-cart':
    " Every caller, admins included, sees only its own carts: anyone else's is answered 404, exactly like a missing one.",
};

function problemsOf(route: RouteDefinition): ProblemCode[] {
  const codes: ProblemCode[] = ['validation-error', 'rate-limited', 'internal'];
  if (route.auth === 'jwt') codes.push('unauthorized', 'forbidden');
  if (route.request.body) codes.push('malformed-request', 'payload-too-large', 'unsupported-media-type');
  // A store that does not answer in time: a 503, and for a write one whose outcome is unknown (docs/api.md).
  if (route.tableAccess !== 'none') codes.push('service-busy');
  if (route.tableAccess === 'read-write') codes.push('outcome-unknown');
  return [...new Set([...codes, ...route.problems])];
}

function objectProperties(converter: SchemaConverter, schema: z.ZodType | undefined) {
  if (!schema) return [];
  const json = converter.convert(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({ name, schema: s, required: required.has(name) }));
}

const CACHE_HEADERS = (route: RouteDefinition) => ({
  ETag: { description: 'A strong validator of this answer.', schema: { type: 'string' } },
  'Cache-Control': {
    description: 'How stale a cached copy may be (docs/api.md, Caching).',
    schema: { type: 'string', enum: [route.cacheControl ?? DEFAULT_CACHE_CONTROL] },
  },
});

function operation(route: RouteDefinition, converter: SchemaConverter) {
  const parameters: unknown[] = [
    ...objectProperties(converter, route.request.path).map((p) => ({
      name: p.name,
      in: 'path',
      required: true,
      schema: p.schema,
    })),
    ...objectProperties(converter, route.request.query).map((p) => ({
      name: p.name,
      in: 'query',
      required: p.required,
      schema: p.schema,
    })),
  ];
  if (route.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Retries with the same key and body answer the first result (with `Idempotent-Replayed: true`).',
      schema: converter.convert(idempotencyKeySchema),
    });
  }
  if (route.method === 'GET') {
    parameters.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'An `ETag` this route answered: 304 with no body while the answer is still the same.',
      schema: { type: 'string' },
    });
  }
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of problemsOf(route)) {
    const status = PROBLEM_TYPES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, unknown> = {
    [route.success.status]: {
      description: route.success.description,
      headers: {
        ...(route.idempotencyKey
          ? {
              'Idempotent-Replayed': {
                description: '`true` when this answers a retry.',
                schema: { type: 'string', enum: ['true'] },
              },
            }
          : {}),
        ...(route.success.status === 201
          ? { Location: { description: 'The new resource.', schema: { type: 'string' } } }
          : {}),
        ...(route.method === 'GET' ? CACHE_HEADERS(route) : {}),
      },
      content: { 'application/json': { schema: converter.convert(route.success.schema) } },
    },
    ...(route.method === 'GET'
      ? {
          304: {
            description: 'Not modified: the `If-None-Match` names the current `ETag` (no body).',
            headers: CACHE_HEADERS(route),
          },
        }
      : {}),
  };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: codes.map((c) => `${PROBLEM_TYPES[c].title} (${problemTypeUri(c)})`).join('; '),
      ...(status === 429 || status === 503
        ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } }
        : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const roles = route.auth === 'jwt' ? ` Roles: ${route.roles.join(', ')}.` : ' Public.';
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.summary}.${roles}${SCOPE_NOTES[route.scope]}`,
    tags: [route.tag],
    security: route.auth === 'jwt' ? [{ bearerAuth: [] }] : [],
    'x-roles': [...route.roles],
    ...(parameters.length ? { parameters } : {}),
    ...(route.request.body
      ? {
          requestBody: {
            required: route.request.bodyRequired === true,
            content: { 'application/json': { schema: converter.convert(route.request.body) } },
          },
        }
      : {}),
    responses,
  };
}

export interface OpenApiOptions {
  readonly routes?: readonly RouteDefinition[];
  /** The config the server runs with: the document states its bounds (the hold policy's TTLs). */
  readonly config?: ServiceConfig;
  /** The API's base URL as the client reached it; `/` (the document's own origin) when unknown. */
  readonly serverUrl?: string;
}

/** The OpenAPI 3.1 document of the routes, generated from their zod schemas. */
export function openApiDocument({
  routes = ROUTE_TABLE,
  config = DEFAULT_SERVICE_CONFIG,
  serverUrl = '/',
}: OpenApiOptions = {}) {
  const converter = new SchemaConverter(config);
  converter.convert(problemSchema);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, converter) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'No-oversell inventory API',
      version: API_VERSION,
      description:
        'Stock levels, holds and locations across warehouses. Errors are RFC 9457 problems (application/problem+json) whose `type` is one of the documented problem types.',
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: converter.collected,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'Claims: `sub` (the caller), `roles` (storefront, warehouse, admin), and for a warehouse `locations` (the location ids it may operate on).',
        },
      },
    },
  };
}
