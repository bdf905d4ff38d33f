import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ThroughputSimulation } from './throughput-simulation.js';

export const THROTTLING_MIDDLEWARE = 'simulateDynamoDbThrottling';

interface WireRequest {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/**
 * Puts the throughput simulation in front of DynamoDB (Local) for one client: a middleware just before the
 * request is sent (inside the SDK's retry loop, so every attempt is charged) that answers a throttled request
 * with the HTTP response DynamoDB would send. The SDK then parses it as it parses DynamoDB's own, and its retry
 * strategy and the service's error handling see exactly what they would see on AWS. For tests and the
 * benchmark only; never in a Lambda function.
 */
export function installThrottling(client: DynamoDBDocumentClient, simulation: ThroughputSimulation): void {
  client.middlewareStack.addRelativeTo(
    ((next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const request = (args as { request?: WireRequest }).request;
      const target = request?.headers['x-amz-target'];
      const body = bodyText(request?.body);
      if (!target || body === null) return next(args);
      const answer = simulation.admit(target, body);
      if (!answer) return next(args);
      return {
        response: {
          statusCode: answer.statusCode,
          reason: 'Bad Request',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() },
          body: new TextEncoder().encode(JSON.stringify(answer.body)),
        },
      };
    }) as never,
    { name: THROTTLING_MIDDLEWARE, relation: 'after', toMiddleware: 'deserializerMiddleware' },
  );
}

function bodyText(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return null;
}
