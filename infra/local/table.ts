import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE_SCHEMA } from '../../shared/platform/store/table-definition.js';

export type TableChange = 'created' | 'updated' | 'unchanged';

/**
 * Creates the table from the one table definition if it is missing, or brings an existing one up to it: adds
 * missing global secondary indexes, enables the stream and TTL. Nothing is ever removed.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<TableChange> {
  const wanted = createTableInput(tableName);
  let existing: Awaited<ReturnType<typeof describe>>;
  try {
    existing = await describe(client, tableName);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(wanted));
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
    await enableTtl(client, tableName);
    return 'created';
  }
  let changed = false;
  const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    changed = true;
  }
  if (!existing.StreamSpecification?.StreamEnabled) {
    await client.send(
      new UpdateTableCommand({ TableName: tableName, StreamSpecification: wanted.StreamSpecification }),
    );
    changed = true;
  }
  if (await enableTtl(client, tableName)) changed = true;
  return changed ? 'updated' : 'unchanged';
}

async function describe(client: DynamoDBClient, tableName: string) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (!Table) throw new ResourceNotFoundException({ message: `table ${tableName} not found`, $metadata: {} });
  return Table;
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return false;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    }),
  );
  return true;
}
