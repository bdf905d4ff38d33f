import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import { shardRegistryKey } from '../../shared/platform/store/keys.js';
import { registryBucketOf, shardMapsOf } from '../../shared/stock/store/requests/shard-registry.js';
import { reconcile } from '../../shared/stock/use-cases/reconcile.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { type TestDeps, type TestTable, useTestTable, useTestTables } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';

const { table, deps } = useTestTable();

/** Deps of another process on the same table: nothing remembered, and every read it sends recorded by key. */
function anotherProcess(on: { table: TestTable; deps: TestDeps } = { table, deps }) {
  const { table, deps } = on;
  const client = createDocumentClient({
    endpoint: table.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const reads: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: { pk?: unknown } };
      if (context.commandName === 'GetItemCommand') reads.push(JSON.stringify(input.Key?.pk));
      return next(args);
    },
    { step: 'initialize', name: 'recordReads' },
  );
  return { deps: { ...deps, ...createDynamoStores({ client, tableName: table.tableName }) }, reads, client };
}

describe('the registry of sharded levels', () => {
  it('lets a process that never saw a sharded level spread its reserves over its shards without reading the level', async () => {
    // Prepare: a level split into 4 shards by one process, and 6 unsharded levels
    const hot = await aStockedLevel(deps, 40, aSku(), undefined, 4);
    const location = await aLocation(deps);
    const cold = await Promise.all(Array.from({ length: 6 }, () => aStockedLevel(deps, 5, aSku(), location)));
    const other = anotherProcess();

    // Act: the other process reserves 12 units of the hot level one by one, and one of each cold level
    const parts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { reservation } = await reserveStock(other.deps, { ...hot, quantity: 1 }, aPrincipal());
      parts.push(...reservation.parts.map((p) => p.shard));
    }
    for (const level of cold) await reserveStock(other.deps, { ...level, quantity: 1 }, aPrincipal());
    other.client.destroy();

    // Assess: no read of any level's shard map, at most one read of each registry bucket
    expect(other.reads.filter((pk) => pk.includes('SKU#'))).toEqual([]);
    const registryReads = other.reads.filter((pk) => pk.includes('SHARDED#'));
    expect(registryReads.length).toBeGreaterThan(0);
    expect(new Set(registryReads).size).toBe(registryReads.length);
    expect(new Set(parts).size).toBeGreaterThan(1);
  });

  it('lists a level split then merged back to one shard with its retired shards, as its shard 0 says', async () => {
    // Prepare
    const level = await aStockedLevel(deps, 8, aSku(), undefined, 4);
    const listed = () => registryOf(level.sku, level.locationId);
    const split = await listed();

    // Act
    await shardLevel(deps, { ...level, shards: 1 }, WAREHOUSE_CLERK);

    // Assess
    expect(split).toEqual({ active: 4, span: 4 });
    expect(await listed()).toEqual({ active: 1, span: 4 });
  });

  it('does not list a level that was never split', async () => {
    const level = await aStockedLevel(deps, 8);
    await shardLevel(deps, { ...level, shards: 1 }, WAREHOUSE_CLERK);
    expect(await registryOf(level.sku, level.locationId)).toBeUndefined();
  });
});

async function registryOf(sku: Sku, locationId: LocationId, of: TestTable = table) {
  const { Item } = await of.client.send(
    new GetCommand({
      TableName: of.tableName,
      Key: shardRegistryKey(registryBucketOf(sku, locationId)),
      ConsistentRead: true,
    }),
  );
  return shardMapsOf(Item).get(`${sku}#${locationId}`);
}

/** Sets (or, with null, removes) a level's entry in its registry bucket behind the service's back. */
async function setRegistryEntry(
  of: TestTable,
  level: { sku: Sku; locationId: LocationId },
  map: { active: number; span: number } | null,
) {
  const Key = shardRegistryKey(registryBucketOf(level.sku, level.locationId));
  const names = { '#level': `${level.sku}#${level.locationId}` };
  if (!map) {
    await of.client.send(
      new UpdateCommand({
        TableName: of.tableName,
        Key,
        UpdateExpression: 'REMOVE #level',
        ExpressionAttributeNames: names,
      }),
    );
    return;
  }
  const { Item } = await of.client.send(
    new GetCommand({ TableName: of.tableName, Key, ConsistentRead: true }),
  );
  await of.client.send(
    new PutCommand({
      TableName: of.tableName,
      Item: { ...Key, kind: 'ShardRegistry', ...Item, [names['#level']]: map },
    }),
  );
}

/** A client of its own on the table, running `before` before each transaction it sends. */
function aClientWithHookBeforeTransactions(of: TestTable, before: () => Promise<void>) {
  const client = createDocumentClient({
    endpoint: of.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') await before();
      return next(args);
    },
    { step: 'build', name: 'hookBeforeTransaction' },
  );
  return client;
}

describe('the repair of the registry of sharded levels by reconciliation', () => {
  const aTable = useTestTables();

  it('lists again a sharded level its registry does not list (a table written before the registry), so that a new process routes its reserves without reading the level', async () => {
    // Prepare: a level split into 4 shards whose registry entry is gone, as on a table split before ADR 43
    const tested = await aTable();
    const level = await aStockedLevel(tested.deps, 40, aSku(), undefined, 4);
    await setRegistryEntry(tested.table, level, null);
    const unlisted = await registryOf(level.sku, level.locationId, tested.table);

    // Act
    const report = await reconcile(tested.deps);

    // Assess: listed with its shard 0's map; a process that never saw it spreads its reserves without reading it
    expect(unlisted).toBeUndefined();
    expect(report.registry).toEqual({ written: 1, removed: 0, skipped: 0, notStarted: 0 });
    expect(await registryOf(level.sku, level.locationId, tested.table)).toEqual({ active: 4, span: 4 });
    const other = anotherProcess(tested);
    const parts: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { reservation } = await reserveStock(other.deps, { ...level, quantity: 1 }, aPrincipal());
      parts.push(...reservation.parts.map((p) => p.shard));
    }
    other.client.destroy();
    expect(other.reads.filter((pk) => pk.includes('SKU#'))).toEqual([]);
    expect(new Set(parts).size).toBeGreaterThan(1);
  });

  it('writes again an entry that disagrees with its level, and removes one of a level that has one shard and no retired one', async () => {
    // Prepare: a level at 2 of 4 shards listed as 4 of 4, an unsharded level listed as 4 of 4, a correct entry
    const tested = await aTable();
    const merged = await aStockedLevel(tested.deps, 40, aSku(), undefined, 4);
    await shardLevel(tested.deps, { ...merged, shards: 2 }, WAREHOUSE_CLERK);
    await setRegistryEntry(tested.table, merged, { active: 4, span: 4 });
    const single = await aStockedLevel(tested.deps, 10);
    await setRegistryEntry(tested.table, single, { active: 4, span: 4 });
    const correct = await aStockedLevel(tested.deps, 40, aSku(), undefined, 3);

    // Act
    const report = await reconcile(tested.deps);
    const again = await reconcile(tested.deps);

    // Assess
    expect(report.registry).toEqual({ written: 1, removed: 1, skipped: 0, notStarted: 0 });
    expect(await registryOf(merged.sku, merged.locationId, tested.table)).toEqual({ active: 2, span: 4 });
    expect(await registryOf(single.sku, single.locationId, tested.table)).toBeUndefined();
    expect(await registryOf(correct.sku, correct.locationId, tested.table)).toEqual({ active: 3, span: 3 });
    expect(again.registry).toEqual({ written: 0, removed: 0, skipped: 0, notStarted: 0 });
  });

  it('skips the repair, without an error, when a rebalance changes the level between the read and the repair', async () => {
    // Prepare: a level split into 4 shards whose entry is gone; before the repair's transaction, the level is
    // rebalanced to 2 shards (which writes its own entry)
    const tested = await aTable();
    const level = await aStockedLevel(tested.deps, 40, aSku(), undefined, 4);
    await setRegistryEntry(tested.table, level, null);
    const rebalances: number[] = [];
    const client = aClientWithHookBeforeTransactions(tested.table, async () => {
      if (rebalances.length > 0) return;
      rebalances.push(2);
      await shardLevel(tested.deps, { ...level, shards: 2 }, WAREHOUSE_CLERK);
    });
    const reconciler = {
      ...tested.deps,
      ...createDynamoStores({ client, tableName: tested.table.tableName }),
    };

    // Act
    const report = await reconcile(reconciler);
    client.destroy();

    // Assess: the repair was tried and refused; the entry is the rebalance's, not the stale map read before it
    expect(rebalances).toEqual([2]);
    expect(report.registry).toEqual({ written: 0, removed: 0, skipped: 1, notStarted: 0 });
    expect(await registryOf(level.sku, level.locationId, tested.table)).toEqual({ active: 2, span: 4 });
    expect((await tested.deps.levels.getLevelShard(level.sku, level.locationId, 0))?.shardCount).toBe(2);
  });
});
