import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { liveColdStart } from '../shared/live/live-runtime.js';
import { callerOfContext } from '../shared/live/use-cases/authorize-connection.js';
import { openConnection } from '../shared/live/use-cases/connections.js';

const deps = liveColdStart();
const logger = new Logger();

type ConnectEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: Record<string, unknown> };
};

/** `$connect`, after the authorizer: records the connection, or refuses it (429) when its caller has too many. */
async function connect(event: ConnectEvent): Promise<APIGatewayProxyResultV2> {
  const caller = callerOfContext(event.requestContext.authorizer);
  if (!caller) return { statusCode: 401, body: 'a valid token is required' };
  const outcome = await openConnection(deps, caller, event.requestContext.connectionId);
  if (outcome === 'too-many-connections') {
    logger.info('connection refused: too many', { principal: caller.principal });
    return {
      statusCode: 429,
      body: `at most ${deps.limits.maxConnectionsPerCaller} connections per caller: close one first`,
    };
  }
  return { statusCode: 200 };
}

export const handler = middy(connect).use(injectLambdaContext(logger));
