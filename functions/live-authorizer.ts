import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { readTokenVerifierSettings, tokenVerifier } from '../shared/live/adapters/token-verifier.js';
import { authorizeConnection } from '../shared/live/use-cases/authorize-connection.js';

const verify = tokenVerifier(readTokenVerifierSettings(process.env));
const logger = new Logger();

/**
 * The WebSocket API's authorizer on `$connect`: verifies the `token` query parameter (the same JWTs as the HTTP
 * API, against the same issuer) and allows the connection with the caller as its context, which API Gateway
 * passes to every route of the connection. A missing token never reaches it (API Gateway answers 401); a bad,
 * expired or foreign token is answered `Unauthorized` (401).
 */
async function authorize(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const context = await authorizeConnection(verify, event.queryStringParameters?.token);
  if (!context) {
    logger.info('connection refused: no valid token');
    throw new Error('Unauthorized');
  }
  return {
    principalId: context.principal,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context: { ...context },
  };
}

export const handler = middy(authorize).use(injectLambdaContext(logger));
