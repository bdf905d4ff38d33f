import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ConcurrencyLimitError } from '../../shared/kernel/errors.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { type TestTable, useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * DynamoDB Local never answers TransactionConflict, so these tests inject it: a client middleware cancels the
 * first `n` transactions the way DynamoDB does under contention, before they reach the store.
 */
function storeWithConflicts(table: TestTable, conflicts: number) {
  const client = createDocumentClient({
    endpoint: table.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let injected = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand' && injected < conflicts) {
        injected++;
        const items = (args.input as { TransactItems?: unknown[] }).TransactItems ?? [];
        throw new TransactionCanceledException({
          message:
            'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]',
          $metadata: {},
          CancellationReasons: items.map((_, i) => ({ Code: i === 0 ? 'TransactionConflict' : 'None' })),
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectTransactionConflicts' },
  );
  return {
    stores: createDynamoStores({
      client,
      tableName: table.tableName,
      retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    }),
    client,
    injectedSoFar: () => injected,
    close: () => client.destroy(),
  };
}

const { table, deps } = useTestTable();

describe('transaction conflicts', () => {
  it('retries a reserve cancelled by conflicts and applies it exactly once', async () => {
    // Prepare
    const { sku, locationId } = await aStockedLevel(deps, 5);
    const conflicted = storeWithConflicts(table, 3);

    // Act
    const { reservation } = await reserveStock(
      { ...deps, ...conflicted.stores },
      { sku, locationId, quantity: 2 },
      aPrincipal(),
    );

    // Assess
    expect(conflicted.injectedSoFar()).toBe(3);
    expect(reservation.status).toBe('HELD');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2, available: 3, version: 2 });
    await expectLevelConsistent(deps, sku, locationId);
    conflicted.close();
  });

  it('gives up after the retry budget with a retryable error, changing nothing', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 5);
    const conflicted = storeWithConflicts(table, Number.POSITIVE_INFINITY);

    const error = await reserveStock(
      { ...deps, ...conflicted.stores },
      { sku, locationId, quantity: 2 },
      aPrincipal(),
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrencyLimitError);
    expect(conflicted.injectedSoFar()).toBe(4);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 0, version: 1 });
    conflicted.close();
  });

  it('sends each attempt with its own client request token', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 5);
    const conflicted = storeWithConflicts(table, 2);
    const tokens: string[] = [];
    conflicted.client.middlewareStack.add(
      (next) => async (args) => {
        const token = (args.input as { ClientRequestToken?: string }).ClientRequestToken;
        if (token) tokens.push(token);
        return next(args);
      },
      { step: 'initialize', name: 'recordTokens', priority: 'high' },
    );

    await reserveStock({ ...deps, ...conflicted.stores }, { sku, locationId, quantity: 1 }, aPrincipal());

    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(3);
    conflicted.close();
  });
});
