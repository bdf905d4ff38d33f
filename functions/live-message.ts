import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyResultV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { liveColdStart } from '../shared/live/live-runtime.js';
import { callerOfContext } from '../shared/live/use-cases/authorize-connection.js';
import { handleMessage } from '../shared/live/use-cases/messages.js';

const deps = liveColdStart();
const logger = new Logger();

type MessageEvent = APIGatewayProxyWebsocketEventV2 & {
  requestContext: { authorizer?: Record<string, unknown> };
};

/**
 * The `subscribe`, `unsubscribe`, `ping` and `$default` routes: answers each message by posting to the
 * connection (a snapshot, a confirmation, a pong or an error naming the field at fault).
 */
async function message(event: MessageEvent): Promise<APIGatewayProxyResultV2> {
  const caller = callerOfContext(event.requestContext.authorizer);
  if (!caller) return { statusCode: 401 };
  await handleMessage(deps, caller, event.requestContext.connectionId, event.body);
  return { statusCode: 200 };
}

export const handler = middy(message).use(injectLambdaContext(logger));
