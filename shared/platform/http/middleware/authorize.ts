import type { MiddlewareObj } from '@middy/core';
import { requireAnyRole } from '../authorization.js';
import { HttpProblem } from '../problem.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';
import type { RouteDefinition } from '../route.js';

/** The route table's roles, checked again in the handler: 403 when none of the caller's roles is allowed. */
export function authorize(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'authorize',
    before: ({ event }) => {
      const { caller } = requestState(event);
      if (!caller) throw new HttpProblem('unauthorized', 'a valid bearer token is required');
      requireAnyRole(caller, route.roles);
    },
  };
}
