import type { DomainError } from '../../kernel/errors.js';
import { type FieldError, HttpProblem } from './problem.js';
import type { ProblemCode } from './problem-types.js';

/** Business rules that have a problem type of their own; any other rule is a generic `business-rule`. */
const RULE_PROBLEMS: Readonly<Record<string, ProblemCode>> = {
  'active-hold-limit': 'hold-limit-exceeded',
  'hold-max-duration': 'hold-max-duration',
};

/** Domain error codes whose problem type has the same name. */
const SAME_NAME: readonly ProblemCode[] = [
  'insufficient-stock',
  'version-conflict',
  'hold-expired',
  'hold-in-cart',
  'idempotency-key-reused',
  'not-found',
  'unknown-sku',
  'location-inactive',
  'already-exists',
];

const sameNamed = (code: string): ProblemCode | undefined => SAME_NAME.find((c) => c === code);

/** Where in the request a field named by a domain rule is. */
export type FieldPlace = (field: string) => FieldError['in'];

/**
 * The problem a typed domain error stands for, chosen by its stable `code`; its `details` become members of the
 * body. Null for a code this layer does not know: the caller answers that as an internal error.
 */
export function problemFromDomainError(error: DomainError, placeOf: FieldPlace): HttpProblem | null {
  const details = error.details;
  switch (error.code) {
    case 'validation': {
      const field = typeof details.field === 'string' ? details.field : 'request';
      const errors: FieldError[] = [{ in: placeOf(field), field, detail: error.message }];
      return new HttpProblem('validation-error', error.message, { field, errors });
    }
    case 'business-rule': {
      const rule = typeof details.rule === 'string' ? details.rule : 'unknown';
      return new HttpProblem(RULE_PROBLEMS[rule] ?? 'business-rule', error.message, details);
    }
    case 'hold-already-resolved': {
      // `status` is a standard member of a problem: the hold's status is named `reservationStatus` instead.
      const { status, ...rest } = details;
      return new HttpProblem('hold-already-resolved', error.message, { ...rest, reservationStatus: status });
    }
    case 'concurrency-limit':
    case 'store-unavailable':
    case 'cart-saga-incomplete': {
      const seconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 1;
      return new HttpProblem('service-busy', error.message, details, { 'retry-after': String(seconds) });
    }
    case 'outcome-unknown': {
      // The HTTP handler adds how to learn the outcome on the route (shared/platform/http/outcome-hints.ts).
      const seconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 1;
      return new HttpProblem('outcome-unknown', error.message, details, { 'retry-after': String(seconds) });
    }
    case 'cart-state': {
      // `status` is a standard member of a problem: the cart's status is named `cartStatus` instead.
      const { status, ...rest } = details;
      return new HttpProblem('cart-state', error.message, { ...rest, cartStatus: status });
    }
    case 'insufficient-stock': {
      // A cart's shortage names its line (CartAllocationError, CartLineShortError).
      const line =
        'lineIndex' in error && typeof error.lineIndex === 'number' ? { lineIndex: error.lineIndex } : {};
      return new HttpProblem('insufficient-stock', error.message, { ...details, ...line });
    }
    default: {
      const code = sameNamed(error.code);
      return code ? new HttpProblem(code, error.message, details) : null;
    }
  }
}
