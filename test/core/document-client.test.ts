import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDocumentClient, reuseSigners } from '../../shared/platform/store/document-client.js';

/** A client of the run's DynamoDB Local with the given credentials, recording each call's Authorization header. */
function recordingClient(
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; expiration?: Date }>,
) {
  const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'local', credentials });
  const authorizations: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      authorizations.push(request.headers.authorization ?? '');
      return next(args);
    },
    { step: 'deserialize', name: 'recordAuthorization' },
  );
  return { client, authorizations };
}

describe('the DynamoDB client signs calls with a signer it keeps', () => {
  const clients: DynamoDBClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy();
  });

  it('builds one signer for all the calls of a scope', async () => {
    // Prepare
    const { client, authorizations } = recordingClient(async () => ({
      accessKeyId: 'local',
      secretAccessKey: 'local',
    }));
    clients.push(client);
    const build = client.config.signer;
    let built = 0;
    client.config.signer = (authScheme) => {
      built++;
      return build(authScheme);
    };
    reuseSigners(client);

    // Act
    for (let i = 0; i < 3; i++) await client.send(new ListTablesCommand({}));

    // Assess
    expect(built).toBe(1);
    expect(authorizations).toHaveLength(3);
    for (const authorization of authorizations)
      expect(authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=local\//);
  });

  it('signs each call with the credentials the provider gives at that call', async () => {
    // Prepare: credentials that expire within the SDK's refresh window, so that each call asks for new ones.
    let issued = 0;
    const { client, authorizations } = recordingClient(async () => {
      issued++;
      return {
        accessKeyId: `key${issued}`,
        secretAccessKey: `secret-${issued}`,
        expiration: new Date(Date.now() + 60_000),
      };
    });
    clients.push(client);
    reuseSigners(client);

    // Act
    await client.send(new ListTablesCommand({}));
    await client.send(new ListTablesCommand({}));

    // Assess
    expect(authorizations[0]).toMatch(/Credential=key\d+\//);
    expect(authorizations[1]).toMatch(/Credential=key\d+\//);
    expect(authorizations[0]?.match(/Credential=([^/]+)/)?.[1]).not.toBe(
      authorizations[1]?.match(/Credential=([^/]+)/)?.[1],
    );
  });

  it('sends calls without the SDK user agent it builds per call', async () => {
    // Prepare
    const client = createDocumentClient({
      endpoint: inject('dynamoEndpoint'),
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const headers: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        headers.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'deserialize', name: 'recordHeaders' },
    );

    // Act
    await client.send(new ListTablesCommand({}));
    client.destroy();

    // Assess
    expect(headers).toHaveLength(1);
    expect(headers[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    expect(headers[0]).not.toHaveProperty('user-agent');
    expect(headers[0]).not.toHaveProperty('x-amz-user-agent');
  });
});
