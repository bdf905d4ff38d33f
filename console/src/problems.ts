/** An RFC 9457 problem as the API answers it (docs/api.md "Problems"), or one the console makes for a network failure. */
export interface Problem {
  readonly type: string;
  /** Absent from a batch row's problem (type, detail and field only). */
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly [member: string]: unknown;
}

const PREFIX = 'https://inventory.dev/problems/';

export const problemCode = (p: Problem) => (p.type.startsWith(PREFIX) ? p.type.slice(PREFIX.length) : p.type);

const str = (v: unknown) => (v === undefined || v === null ? '?' : String(v));

/**
 * A problem in words for the person at the screen: what happened and, where it helps, what to do. The API's own
 * `detail` follows it on the page, so nothing it says is lost.
 */
export function problemInWords(p: Problem): string {
  switch (problemCode(p)) {
    case 'insufficient-stock':
      if (p.requested === undefined) return 'Not enough stock: nothing was changed.';
      return `Not enough stock: ${str(p.requested)} asked from ${str(p.bucket)} of ${str(p.sku)} at ${str(p.locationId)}, only ${str(p.available)} there. Nothing was changed.`;
    case 'version-conflict':
      return `Someone changed this level since you looked (you counted against version ${str(p.expectedVersion)}, it is now at ${str(p.actualVersion)}). Reload, check the figures and count again.`;
    case 'validation-error': {
      const errors = Array.isArray(p.errors) ? (p.errors as { field?: string; detail?: string }[]) : [];
      const list = errors.map((e) => `${e.field ?? '?'} ${e.detail ?? ''}`.trim()).join('; ');
      return `The request was refused as invalid: ${list || str(p.detail)}. Nothing was changed.`;
    }
    case 'forbidden':
      return p.locationId
        ? `You may not do this at ${str(p.locationId)}: it is not one of your locations.`
        : 'Your role does not allow this.';
    case 'unauthorized':
      return 'Your sign-in is missing or has expired: sign in again.';
    case 'not-found':
      return `Not found${p.resource ? ` (${str(p.resource)}${p.id ? ` ${str(p.id)}` : ''})` : ''}.`;
    case 'location-inactive':
      return `Location ${str(p.locationId)} does not exist or is inactive: it cannot receive stock.`;
    case 'hold-expired':
      return `This hold expired at ${str(p.expiresAt)}; it can no longer be confirmed or extended.`;
    case 'hold-already-resolved':
      return `This hold is already ${str(p.reservationStatus)}; it cannot move that way any more.`;
    case 'hold-in-cart':
      return `This hold belongs to cart ${str(p.cartId)}: confirm or release the cart instead.`;
    case 'hold-max-duration':
      return 'This hold cannot be extended any further: it reached its maximum hold time.';
    case 'cart-state':
      return `The cart is ${str(p.cartStatus)}: it cannot be confirmed or released now.`;
    case 'idempotency-key-reused':
      return 'This request key was already used for another request.';
    case 'business-rule':
      return `Refused by a business rule${p.rule ? ` (${str(p.rule)})` : ''}.`;
    case 'rate-limited':
      return `Too many requests: wait ${str(p.retryAfterSeconds)} s and try again.`;
    case 'service-busy':
      return 'The service is busy and changed nothing: try again in a moment.';
    case 'outcome-unknown':
      return 'The answer was lost: the change may or may not have been made. Reload the page to see the figures before trying again.';
    case 'payload-too-large':
      return 'The request is too large.';
    case 'network':
      return 'The service could not be reached: check your connection. If you sent a change, reload to see whether it was made.';
    default:
      return p.title ?? problemCode(p);
  }
}
