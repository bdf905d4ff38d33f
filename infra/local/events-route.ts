import * as z from 'zod';
import { DETAIL_TYPES } from '../../shared/events/catalogue.js';
import { isAdmin } from '../../shared/platform/http/authorization.js';
import { callerFromClaims } from '../../shared/platform/http/caller.js';
import { HttpProblem, validationProblem } from '../../shared/platform/http/problem.js';
import { jsonResponse, ok } from '../../shared/platform/http/responses.js';
import { intBetween, skuSchema, timestampSchema } from '../../shared/platform/http/schemas/common.js';
import { parsePart } from '../../shared/platform/http/validation.js';
import type { BusEvent, LocalEventBus } from './event-bus.js';
import type { LocalOnlyRoute } from './http-api.js';

/**
 * `GET /events`: the local runtime's window on its event bus, for a developer watching the feed. It is served
 * by the local runtime only (never deployed: in the cloud, the bus's archive and EventBridge's own tools play
 * this part), so it is not in the route table; the same local authorizer guards it, and only admins may read it.
 */

export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1_000;

const limitError = `must be an integer from 1 to ${MAX_EVENTS_LIMIT}`;
export const eventsQuery = z.strictObject({
  'detail-type': z.enum(DETAIL_TYPES, { error: `must be one of ${DETAIL_TYPES.join(', ')}` }).optional(),
  sku: skuSchema.optional(),
  /** Only events whose `time` is at or after this instant. */
  since: timestampSchema.optional(),
  /** Only events published after the event with this id (to poll for what is new). */
  after: z.uuid({ error: 'must be the id of an event' }).optional(),
  limit: z
    .string({ error: limitError })
    .regex(/^[0-9]{1,4}$/, { error: limitError })
    .transform(Number)
    .pipe(intBetween(1, MAX_EVENTS_LIMIT))
    .optional(),
});

const skuOf = (event: BusEvent): unknown =>
  event.detail !== null && typeof event.detail === 'object'
    ? (event.detail as { sku?: unknown }).sku
    : undefined;

/**
 * The route, reading the bus the runtime's event pipeline publishes to (`bus()` answers null while no pipeline
 * runs: the route then answers 404 like an unknown path).
 */
export function eventsRoute(bus: () => LocalEventBus | null): LocalOnlyRoute {
  return {
    method: 'GET',
    path: '/events',
    handle({ query, claims }) {
      const caller = callerFromClaims(claims);
      if (!isAdmin(caller)) throw new HttpProblem('forbidden', 'the event feed is for admins');
      const running = bus();
      if (!running)
        throw new HttpProblem('not-found', 'the event pipeline is not running', { resource: 'events' });
      const errors: Parameters<typeof parsePart>[3] = [];
      const filters = parsePart(eventsQuery, Object.fromEntries(query), 'query', errors);
      if (!filters || errors.length > 0) throw validationProblem(errors);
      const detailType = filters['detail-type'];
      const since = filters.since !== undefined ? Date.parse(filters.since) : null;
      const events = running
        .history({
          ...(detailType !== undefined ? { detailType } : {}),
          ...(filters.after !== undefined ? { after: filters.after } : {}),
        })
        .filter((e) => filters.sku === undefined || skuOf(e) === filters.sku)
        .filter((e) => since === null || Date.parse(e.time) >= since)
        .slice(-(filters.limit ?? DEFAULT_EVENTS_LIMIT));
      return jsonResponse(ok({ events }));
    },
  };
}
