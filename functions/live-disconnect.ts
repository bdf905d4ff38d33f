import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { liveColdStart } from '../shared/live/live-runtime.js';
import { closeConnection } from '../shared/live/use-cases/connections.js';

const deps = liveColdStart();
const logger = new Logger();

/** `$disconnect` (best effort: API Gateway may not send it): forgets the connection and its subscriptions. */
async function disconnect(event: APIGatewayProxyWebsocketEventV2): Promise<APIGatewayProxyResultV2> {
  await closeConnection(deps, event.requestContext.connectionId);
  return { statusCode: 200 };
}

export const handler = middy(disconnect).use(injectLambdaContext(logger));
