import type { OutcomeUnknownError } from '../../kernel/errors.js';
import { HttpProblem } from './problem.js';
import type { RouteDefinition } from './route.js';

/**
 * How a client learns the outcome of a write whose answer was lost, per route:
 * - `check`: the resource to GET, with `{name}` taken from what the use case knew (e.g. the new reservation's
 *   id), the path parameters or the body;
 * - `repeat`: what a plain repeat of the request does when it carries no Idempotency-Key (a keyed request is
 *   always safe to repeat with the same key), and `safe` whether that repeat applies the change at most once.
 */
interface OutcomeHint {
  readonly check: string;
  /** Whether a plain repeat is safe, or how to tell from the request's body. */
  readonly safe: boolean | ((body: unknown) => boolean);
  readonly repeat: string;
}

const LEVEL = '/skus/{sku}/locations/{locationId}';
const MOVEMENTS = `${LEVEL}/movements?order=desc`;
const STOCK: OutcomeHint = {
  check: MOVEMENTS,
  safe: false,
  repeat:
    'Without an Idempotency-Key a repeat applies the change again: read the newest movements of the level first.',
};
const TRANSITION: OutcomeHint = {
  check: '/reservations/{reservationId}',
  safe: true,
  repeat:
    'Repeating the request is safe: a hold moves only from its expected state, so a repeat changes it at most once and answers the hold.',
};
const CART: OutcomeHint = {
  check: '/carts/{cartId}',
  safe: true,
  repeat: 'Repeating the same request is safe: a cart is held, confirmed or released at most once.',
};

/** Every route that writes has one (a test checks it against the route table). */
export const OUTCOME_HINTS: Readonly<Record<string, OutcomeHint>> = {
  reserveStock: {
    check: '/reservations/{reservationId}',
    safe: false,
    repeat:
      'Without an Idempotency-Key a repeat makes a second hold: GET the reservation named here first (404 means it was not made).',
  },
  confirmReservation: TRANSITION,
  releaseReservation: TRANSITION,
  cancelReservation: TRANSITION,
  fulfillReservation: TRANSITION,
  extendReservation: {
    check: '/reservations/{reservationId}',
    safe: true,
    repeat:
      'Repeating the request is safe: a repeat sets the expiry again from the time it runs (within the hold’s maximum).',
  },
  receiveStock: STOCK,
  adjustStock: STOCK,
  countStock: STOCK,
  blockStock: STOCK,
  unblockStock: STOCK,
  transferStock: { ...STOCK, check: '/skus/{sku}/locations/{from}/movements?order=desc' },
  shardLevel: {
    check: LEVEL,
    safe: true,
    repeat: 'Repeating the request is safe: it asks for the same number of shards again.',
  },
  reserveCart: CART,
  confirmCart: CART,
  releaseCart: CART,
  createLocation: {
    check: '/locations/{locationId}',
    safe: true,
    repeat: 'Repeating the request is safe: a repeat after it was applied answers 409 already-exists.',
  },
  updateLocation: {
    check: '/locations/{locationId}',
    safe: true,
    repeat: 'Repeating the request is safe: it sets the same values again.',
  },
  setReplenishmentPolicy: {
    check: LEVEL,
    safe: true,
    repeat: 'Repeating the request is safe: it sets the same policy again.',
  },
  receiveReplenishment: { ...STOCK, check: `${LEVEL}/replenishments/{requestId}` },
  applyStockBatch: {
    check: '',
    // Safe when every row carries its own key.
    safe: (body) => {
      const rows = (body as { rows?: unknown } | null)?.rows;
      return Array.isArray(rows) && rows.every((row) => typeof row?.idempotencyKey === 'string');
    },
    repeat:
      'Rows with an idempotencyKey are safe to send again with the same key (a repeat answers what was applied and applies the rest once); a row without one is applied again: read its level\u2019s newest movements first.',
  },
  cancelReplenishment: {
    check: `${LEVEL}/replenishments/{requestId}`,
    safe: true,
    repeat: 'Repeating the request is safe: a request is cancelled at most once.',
  },
};

const GENERIC: OutcomeHint = {
  check: '',
  safe: false,
  repeat: 'Read the resource before repeating the request.',
};

function fill(template: string, sources: readonly Readonly<Record<string, unknown>>[]): string | null {
  let missing = false;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = sources.map((s) => s[name]).find((v) => typeof v === 'string' || typeof v === 'number');
    if (value === undefined) missing = true;
    return encodeURIComponent(String(value));
  });
  return missing ? null : path;
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * The answer to a request whose outcome is unknown: 503 with Retry-After, and how to learn the outcome (members
 * `checkAt`, `safeToRepeat`, `idempotencyKey` when the request had one, and what the use case knew, such as
 * `reservationId`).
 */
export function outcomeUnknownProblem(
  route: RouteDefinition,
  input: { readonly path?: unknown; readonly body?: unknown; readonly idempotencyKey?: string | null } | null,
  error: OutcomeUnknownError,
): HttpProblem {
  const hint = OUTCOME_HINTS[route.operationId] ?? GENERIC;
  const { retryAfterSeconds, ...known } = error.details;
  const checkAt = hint.check ? fill(hint.check, [known, record(input?.path), record(input?.body)]) : null;
  const key = input?.idempotencyKey ?? null;
  const safe = typeof hint.safe === 'function' ? hint.safe(input?.body) : hint.safe;
  const advice = key
    ? 'Repeat it with the same Idempotency-Key: the repeat answers the first result if it was applied, or applies it once if it was not.'
    : hint.repeat;
  const detail = [
    'The request may or may not have been applied: its answer was lost (the store did not answer in time).',
    advice,
    checkAt ? `GET ${checkAt} shows the outcome.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return new HttpProblem(
    'outcome-unknown',
    detail,
    {
      ...known,
      retryAfterSeconds,
      safeToRepeat: key !== null || safe,
      ...(checkAt ? { checkAt } : {}),
      ...(key ? { idempotencyKey: key } : {}),
    },
    { 'retry-after': String(retryAfterSeconds) },
  );
}
