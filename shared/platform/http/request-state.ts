import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Caller } from './caller.js';
import type { JsonBody } from './request-body.js';

/** The event of API Gateway's HTTP API (payload 2.0) behind its JWT authorizer, as the handlers receive it. */
export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** What the middlewares learn about a request, handed on to the next ones and to the handler. */
export interface RequestState {
  caller: Caller | null;
  body: JsonBody;
  /** The validated input (typed by the route at the handler). */
  input: unknown;
}

const states = new WeakMap<ApiEvent, RequestState>();

/** The state of one request, keyed by its event object (so nothing is written into the Lambda context). */
export function requestState(event: ApiEvent): RequestState {
  let state = states.get(event);
  if (!state) {
    state = { caller: null, body: { present: false }, input: undefined };
    states.set(event, state);
  }
  return state;
}
