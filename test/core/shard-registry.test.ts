import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import { shardRegistryKey } from '../../shared/platform/store/keys.js';
import { registryBucketOf, shardMapsOf } from '../../shared/stock/store/requests/shard-registry.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';

const { table, deps } = useTestTable();

/** Deps of another process on the same table: nothing remembered, and every read it sends recorded by key. */
function anotherProcess() {
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

async function registryOf(sku: Sku, locationId: LocationId) {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: shardRegistryKey(registryBucketOf(sku, locationId)) }),
  );
  return shardMapsOf(Item).get(`${sku}#${locationId}`);
}
