/**
 * The problem types of the API (RFC 9457). Each `type` URI is stable: clients may switch on it. The list is
 * the documentation's too (docs/api.md), and the OpenAPI document names them per route.
 */
export const PROBLEM_BASE_URI = 'https://inventory.dev/problems/';

export const PROBLEM_TYPES = {
  'validation-error': { status: 400, title: 'The request is not valid' },
  'malformed-request': { status: 400, title: 'The request body is not valid JSON' },
  unauthorized: { status: 401, title: 'A valid bearer token is required' },
  forbidden: { status: 403, title: 'The caller may not do this' },
  'not-found': { status: 404, title: 'Not found' },
  'unknown-sku': { status: 404, title: 'No location has this SKU' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'insufficient-stock': { status: 409, title: 'Not enough stock' },
  'version-conflict': { status: 409, title: 'The resource changed since it was read' },
  'hold-already-resolved': { status: 409, title: 'The reservation is no longer in a state that allows this' },
  'hold-expired': { status: 409, title: 'The reservation has expired' },
  'hold-in-cart': { status: 409, title: "The reservation belongs to a cart: use the cart's routes" },
  'idempotency-key-reused': { status: 409, title: 'The Idempotency-Key was used with another request' },
  'already-exists': { status: 409, title: 'The resource already exists' },
  'cart-state': { status: 409, title: 'The cart is not in a state that allows this' },
  'cart-failed': { status: 409, title: 'The cart could not be held' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'business-rule': { status: 422, title: 'A business rule refuses the request' },
  'location-inactive': { status: 422, title: 'The location does not exist or is not active' },
  'hold-limit-exceeded': { status: 422, title: 'The caller holds too many reservations' },
  'hold-quantity-exceeded': { status: 422, title: 'The quantity is above the limit of one hold' },
  'hold-max-duration': { status: 422, title: 'The reservation cannot be held that long' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal error' },
  'service-busy': { status: 503, title: 'The service is busy, retry shortly' },
  'outcome-unknown': { status: 503, title: 'The outcome of the request is unknown' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

export const PROBLEM_CODES = Object.keys(PROBLEM_TYPES) as ProblemCode[];

export function problemTypeUri(code: ProblemCode): string {
  return `${PROBLEM_BASE_URI}${code}`;
}
