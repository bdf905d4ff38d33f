import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { DEFAULT_HOLD_POLICY, type HoldPolicy } from '../../shared/holds/domain/hold-policy.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { ulidSource } from '../../shared/kernel/ids.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import { createTableInput } from '../../shared/platform/store/table-definition.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';

export interface TestTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly endpoint: string;
  drop(): Promise<void>;
}

/**
 * A fresh table in the run's DynamoDB Local (or the one at `endpoint`), created from the same definition the stack
 * deploys.
 */
export async function createTestTable(endpoint: string = inject('dynamoEndpoint')): Promise<TestTable> {
  const client = createDocumentClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const tableName = `inventory-test-${randomUUID()}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return {
    client,
    tableName,
    endpoint,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

export interface TestDeps extends UseCaseDeps {
  readonly clock: ManualClock;
}

export function testDeps(
  table: TestTable,
  holdPolicy: HoldPolicy = DEFAULT_HOLD_POLICY,
  clock = new ManualClock(Date.UTC(2026, 10, 21, 9)),
): TestDeps {
  return {
    ...createDynamoStores({ client: table.client, tableName: table.tableName }),
    clock,
    ids: ulidSource(clock),
    holdPolicy,
  };
}
