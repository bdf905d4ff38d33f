import { PROBLEM_TYPES, type ProblemCode } from './problem-types.js';

/** One offending input of a validation error: where it was, which field, and what is wrong with it. */
export interface FieldError {
  readonly in: 'path' | 'query' | 'header' | 'body';
  readonly field: string;
  readonly detail: string;
}

/**
 * An HTTP problem (RFC 9457) raised by the HTTP layer or mapped from a domain error. `detail` is written for
 * the client; `extensions` are extra members of the body (never an internal message or a stack).
 */
export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = PROBLEM_TYPES[code].status;
  }
}

export function validationProblem(errors: readonly FieldError[]): HttpProblem {
  const first = errors[0];
  const detail = first ? `${first.field}: ${first.detail}` : 'the request is not valid';
  return new HttpProblem('validation-error', detail, { field: first?.field ?? null, errors });
}
