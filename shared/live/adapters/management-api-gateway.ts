import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerMessage } from '../domain/messages.js';
import type { ConnectionGateway, PostOutcome } from '../use-cases/connection-gateway.js';

/**
 * The `@connections` management API of the WebSocket API's stage, at `endpoint` (`https://{api}.execute-api.
 * {region}.amazonaws.com/{stage}` in the cloud, the local stand-in's URL in `npm start`). A connection that is
 * gone answers 410: reported as `gone`, never thrown.
 */
export class ManagementApiGateway implements ConnectionGateway {
  private readonly client: ApiGatewayManagementApiClient;

  constructor(endpoint: string) {
    this.client = new ApiGatewayManagementApiClient({ endpoint });
  }

  async post(connectionId: string, message: ServerMessage): Promise<PostOutcome> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify(message) }),
      );
      return 'sent';
    } catch (error) {
      if (
        error instanceof GoneException ||
        (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 410
      )
        return 'gone';
      throw error;
    }
  }
}
