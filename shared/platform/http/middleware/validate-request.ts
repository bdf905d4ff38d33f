import type { MiddlewareObj } from '@middy/core';
import { type FieldError, validationProblem } from '../problem.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';
import type { RouteDefinition } from '../route.js';
import { idempotencyKeySchema } from '../schemas/common.js';
import { parsePart } from '../validation.js';

/**
 * Validates path parameters, query string, body and `Idempotency-Key` against the route's schemas, all at
 * once, so that a 400 lists every offending field. Unknown query parameters and body fields are refused.
 */
export function validateRequest(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'validateRequest',
    before: ({ event }) => {
      const state = requestState(event);
      const errors: FieldError[] = [];
      const { path, query, body } = route.request;
      const pathParameters = event.pathParameters ?? {};
      const queryParameters = event.queryStringParameters ?? {};
      if (!query && Object.keys(queryParameters).length > 0) {
        errors.push({ in: 'query', field: 'query', detail: 'this operation takes no query parameters' });
      }
      const key = event.headers?.['idempotency-key'];
      const input = {
        path: path ? parsePart(path, pathParameters, 'path', errors) : undefined,
        query: query ? parsePart(query, queryParameters, 'query', errors) : undefined,
        body: body ? parsePart(body, state.body.present ? state.body.value : {}, 'body', errors) : undefined,
        idempotencyKey:
          route.idempotencyKey && key !== undefined
            ? (parsePart(idempotencyKeySchema, key, 'header', errors, 'Idempotency-Key') ?? null)
            : null,
      };
      if (errors.length) throw validationProblem(errors);
      state.input = input;
    },
  };
}
