import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
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
  const { create, ...table } = uncreatedTestTable(endpoint);
  await create();
  return table;
}

/** A test table's client and name before the table exists: `create()` makes it. Making the client opens no connection. */
function uncreatedTestTable(endpoint: string): TestTable & { create(): Promise<void> } {
  const client = createDocumentClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const tableName = `inventory-test-${randomUUID()}`;
  return {
    client,
    tableName,
    endpoint,
    create: async () => {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    },
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

export interface TestTableOptions {
  /** The deps' hold policy; DEFAULT_HOLD_POLICY when not given. */
  readonly holdPolicy?: HoldPolicy;
  /** The deps' clock; testDeps's default when not given. */
  readonly clock?: ManualClock;
}

/**
 * A fresh table for the tests of the file (or describe block) that calls this, with deps over it as `testDeps` makes
 * them: the table is created in a `beforeAll` and dropped in an `afterAll` registered here. The client and the deps
 * exist at once (making them opens no connection), so a file can destructure them at its top; only the table itself
 * waits for the hook. Hooks run as a stack (vitest's default), so a `beforeAll` registered after this call finds the
 * table created, and an `afterAll` registered after it runs before the table is dropped.
 */
export function useTestTable(options: TestTableOptions = {}): {
  readonly table: TestTable;
  readonly deps: TestDeps;
} {
  const { create, ...table } = uncreatedTestTable(inject('dynamoEndpoint'));
  beforeAll(create);
  afterAll(() => table.drop());
  return { table, deps: testDeps(table, options.holdPolicy, options.clock) };
}

/**
 * For tests that each want a table of their own: a function that makes a fresh table and deps over it. Every table
 * it made is dropped after the tests of the file (or describe block) that calls this.
 */
export function useTestTables(): () => Promise<{ readonly table: TestTable; readonly deps: TestDeps }> {
  const tables: TestTable[] = [];
  afterAll(() => Promise.all(tables.map((t) => t.drop())));
  return async () => {
    const table = await createTestTable();
    tables.push(table);
    return { table, deps: testDeps(table) };
  };
}
