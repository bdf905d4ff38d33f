import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../../kernel/errors.js';
import { problemFromDomainError } from '../domain-problems.js';
import { HttpProblem } from '../problem.js';
import type { ApiEvent, ApiResult } from '../request-state.js';
import { problemResponse } from '../responses.js';
import { fieldPlace } from '../validation.js';

/**
 * The one error mapping of the API: an HttpProblem as it is, a typed domain error by its `code`, and anything
 * else logged in full and answered as a bare 500 that names only the request id.
 */
export function problemErrors(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'problemErrors',
    onError: (request) => {
      const { event, error } = request;
      const instance = event.rawPath ?? '/';
      const known =
        error instanceof HttpProblem
          ? error
          : error instanceof DomainError
            ? problemFromDomainError(error, (field) => fieldPlace(event, field))
            : null;
      if (known) {
        request.response = problemResponse(known, instance);
        return;
      }
      const requestId = event.requestContext?.requestId ?? 'unknown';
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'unhandled error',
          requestId,
          routeKey: event.routeKey,
          error:
            error instanceof Error
              ? { name: error.name, message: error.message, stack: error.stack }
              : String(error),
        }),
      );
      request.response = problemResponse(
        new HttpProblem('internal', `an unexpected error occurred (request id ${requestId})`, { requestId }),
        instance,
      );
    },
  };
}
