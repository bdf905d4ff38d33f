import type { DomainError } from '../domain/errors.js';
import { HttpProblem } from './problem.js';
import type { ProblemCode } from './problem-types.js';

/** Business rules that have a problem type of their own; any other rule is a generic `business-rule`. */
const RULE_PROBLEMS: Readonly<Record<string, ProblemCode>> = {
  'active-hold-limit': 'hold-limit-exceeded',
  'hold-max-duration': 'hold-max-duration',
};

/** Domain error codes whose problem type has the same name. */
const SAME_NAME: ReadonlySet<string> = new Set<ProblemCode>([
  'insufficient-stock',
  'version-conflict',
  'hold-already-resolved',
  'hold-expired',
  'idempotency-key-reused',
  'not-found',
  'location-inactive',
  'already-exists',
]);

/**
 * The problem a typed domain error stands for, chosen by its stable `code`; its `details` become members of the
 * body. Null for a code this layer does not know: the caller answers that as an internal error.
 */
export function problemFromDomainError(error: DomainError): HttpProblem | null {
  const details = error.details;
  switch (error.code) {
    case 'validation': {
      const field = typeof details.field === 'string' ? details.field : 'request';
      return new HttpProblem('validation-error', error.message, {
        field,
        errors: [{ field, detail: error.message }],
      });
    }
    case 'business-rule': {
      const rule = typeof details.rule === 'string' ? details.rule : 'unknown';
      return new HttpProblem(RULE_PROBLEMS[rule] ?? 'business-rule', error.message, details);
    }
    case 'concurrency-limit': {
      const seconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 1;
      return new HttpProblem('service-busy', error.message, details, { 'retry-after': String(seconds) });
    }
    default:
      return SAME_NAME.has(error.code)
        ? new HttpProblem(error.code as ProblemCode, error.message, details)
        : null;
  }
}
