import type { MiddlewareObj } from '@middy/core';
import { validationProblem } from '../problem.js';
import { readJsonBody } from '../request-body.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';
import type { RouteDefinition } from '../route.js';

/** Reads the JSON body (413, 415, 400 for a bad one); a route that takes no body refuses one. */
export function jsonBody(route: RouteDefinition, maxBytes: number): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'jsonBody',
    before: ({ event }) => {
      const body = readJsonBody(event, maxBytes);
      if (!route.request.body && body.present) {
        throw validationProblem([{ in: 'body', field: 'body', detail: 'this operation takes no body' }]);
      }
      if (route.request.body && route.request.bodyRequired && !body.present) {
        throw validationProblem([{ in: 'body', field: 'body', detail: 'a JSON body is required' }]);
      }
      requestState(event).body = body;
    },
  };
}
