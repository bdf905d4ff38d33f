import { describe, expect, it } from 'vitest';
import { reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { BusinessRuleError, ValidationError } from '../../shared/kernel/errors.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import { countStock, receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { table, deps } = useTestTable();

const clerk = { actor: WAREHOUSE_CLERK, reason: 'test' };

describe('sharding a level', () => {
  it('spreads the free units evenly over the shards and keeps the totals and the ledger', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await reserveStock(deps, { sku, locationId, quantity: 3 }, aPrincipal());

    const level = await shardLevel(deps, { sku, locationId, shards: 3 }, WAREHOUSE_CLERK);

    expect(level).toMatchObject({ onHand: 10, reserved: 3, available: 7, shards: 3 });
    const shards = await deps.levels.getLevelShards(sku, locationId);
    expect(shards.map((s) => s.available).sort()).toEqual([2, 2, 3]);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('serves a quantity larger than any single shard from several shards, and releases it as a whole', async () => {
    // Prepare: 12 units over 4 shards, 3 each
    const { sku, locationId } = await aStockedLevel(deps, 12, aSku(), undefined, 4);
    const owner = aPrincipal();

    // Act
    const { reservation } = await reserveStock(deps, { sku, locationId, quantity: 8 }, owner);
    const held = await readLevel(deps, sku, locationId);
    await resolveHold(deps, 'release', { reservationId: reservation.reservationId }, owner, owner);

    // Assess
    expect(reservation.parts.length).toBeGreaterThan(1);
    expect(reservation.parts.reduce((n, p) => n + p.quantity, 0)).toBe(8);
    expect(held).toMatchObject({ reserved: 8, available: 4 });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 0, available: 12 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses only when all the shards together cannot serve the quantity', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 12, aSku(), undefined, 4);
    const error = await reserveStock(deps, { sku, locationId, quantity: 13 }, aPrincipal()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'insufficient-stock', details: { available: 12, requested: 13 } });
    await reserveStock(deps, { sku, locationId, quantity: 12 }, aPrincipal());
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ available: 0, reserved: 12 });
  });

  it('spreads a receipt over the active shards', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 4, aSku(), undefined, 4);
    await receiveStock(deps, { sku, locationId, quantity: 8 }, clerk);
    const shards = await deps.levels.getLevelShards(sku, locationId);
    expect(shards.map((s) => s.available)).toEqual([3, 3, 3, 3]);
  });

  it('keeps promised units on a retired shard until they are released, then still sells them', async () => {
    // Prepare: a hold on a 4-shard level, then the level is merged back to one shard
    const { sku, locationId } = await aStockedLevel(deps, 8, aSku(), undefined, 4);
    const owner = aPrincipal();
    const { reservation } = await reserveStock(deps, { sku, locationId, quantity: 2 }, owner);
    await shardLevel(deps, { sku, locationId, shards: 1 }, WAREHOUSE_CLERK);
    const merged = await deps.levels.getLevelShards(sku, locationId);

    // Act: the hold is released, then one buyer wants everything
    await resolveHold(deps, 'release', { reservationId: reservation.reservationId }, owner, owner);
    const everything = await reserveStock(deps, { sku, locationId, quantity: 8 }, aPrincipal());

    // Assess
    expect(merged.filter((s) => s.shard > 0).every((s) => s.available === 0)).toBe(true);
    expect(merged.find((s) => s.shard === 0)?.available).toBe(6);
    expect(everything.reservation.quantity).toBe(8);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ available: 0, reserved: 8, shards: 1 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('never puts units into a retired shard, even when a writer believes the level has more shards', async () => {
    // Prepare: a writer learns that the level has 4 shards; then the level is merged back to 1
    const { sku, locationId } = await aStockedLevel(deps, 4, aSku(), undefined, 4);
    const stale = {
      ...deps,
      ...createDynamoStores({ client: table.client, tableName: table.tableName }),
    };
    await receiveStock(stale, { sku, locationId, quantity: 4 }, clerk);
    await shardLevel(deps, { sku, locationId, shards: 1 }, WAREHOUSE_CLERK);

    // Act
    await receiveStock(stale, { sku, locationId, quantity: 8 }, clerk);

    // Assess
    const shards = await deps.levels.getLevelShards(sku, locationId);
    expect(shards.find((s) => s.shard === 0)?.available).toBe(16);
    expect(shards.filter((s) => s.shard > 0).every((s) => s.onHand === 0)).toBe(true);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses an absolute count on a sharded level, and a shard count out of bounds', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 4, aSku(), undefined, 2);
    await expect(
      countStock(deps, { sku, locationId, onHand: 3, expectedVersion: 1 }, clerk),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    for (const shards of [0, 65, 1.5]) {
      await expect(shardLevel(deps, { sku, locationId, shards }, WAREHOUSE_CLERK)).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
  });
});
