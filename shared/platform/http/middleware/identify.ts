import type { MiddlewareObj } from '@middy/core';
import { callerFromClaims } from '../caller.js';
import { type ApiEvent, type ApiResult, requestState } from '../request-state.js';

/** Turns the verified token's claims (put there by the JWT authorizer) into the caller; 401 without them. */
export function identify(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    name: 'identify',
    before: ({ event }) => {
      requestState(event).caller = callerFromClaims(event.requestContext?.authorizer?.jwt?.claims);
    },
  };
}
