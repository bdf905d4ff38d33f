import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { parseDomainEvent } from '../../shared/events/catalogue.js';
import { collectingPublisher } from '../../shared/events/publisher.js';
import { reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { levelKey, shardRegistryKey } from '../../shared/platform/store/keys.js';
import {
  cancelReplenishment,
  openReplenishmentRequest,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../shared/replenishment/use-cases/replenishment.js';
import { registryBucketOf } from '../../shared/stock/store/requests/shard-registry.js';
import { reconcile } from '../../shared/stock/use-cases/reconcile.js';
import {
  adjustStock,
  blockStock,
  countStock,
  transferStock,
} from '../../shared/stock/use-cases/stock-operations.js';
import { type TestDeps, type TestTable, useTestTables } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';

const run = promisify(execFile);
const clerk = { actor: WAREHOUSE_CLERK, reason: 'test' };

/** Each test reconciles a whole table, so each gets its own. */
const aTable = useTestTables();

/** A level that went through every kind of change, a sharded one, and replenishment. */
async function aCleanHistory(deps: TestDeps) {
  const { sku, locationId } = await aStockedLevel(deps, 50);
  await adjustStock(deps, { sku, locationId, delta: -2 }, clerk);
  await blockStock(deps, { sku, locationId, quantity: 3, direction: 'block' }, clerk);
  await countStock(deps, { sku, locationId, onHand: 47, expectedVersion: 3 }, clerk);
  await transferStock(deps, { sku, from: locationId, to: await aLocation(deps), quantity: 4 }, clerk);
  const owner = aPrincipal();
  const held = await reserveStock(deps, { sku, locationId, quantity: 2 }, owner);
  await resolveHold(deps, 'confirm', { reservationId: held.reservation.reservationId }, owner, owner);
  await resolveHold(
    deps,
    'fulfill',
    { reservationId: held.reservation.reservationId },
    null,
    WAREHOUSE_CLERK,
  );
  await setReplenishmentPolicy(
    deps,
    { sku, locationId, reorderPoint: 50, reorderQuantity: 20, safetyStock: 3 },
    clerk,
  );
  const low = {
    occurredAt: new Date(deps.clock.now()).toISOString(),
    sku,
    locationId,
    available: 35,
    reorderPoint: 50,
    reorderQuantity: 20,
    movementId: deps.ids.next(),
  };
  const first = await openReplenishmentRequest(deps, { ...low, eventId: 'StockLow#1' });
  await receiveReplenishment(
    deps,
    { sku, locationId, requestId: first.request?.requestId ?? '', quantity: 25 },
    clerk,
  );
  const second = await openReplenishmentRequest(deps, { ...low, eventId: 'StockLow#2' });
  await cancelReplenishment(deps, { sku, locationId, requestId: second.request?.requestId ?? '' }, clerk);
  const sharded = await aStockedLevel(deps, 40, aSku(), undefined, 4);
  await reserveStock(deps, { ...sharded, quantity: 25 }, aPrincipal());
  return { sku, locationId, sharded };
}

/** Adds to a level shard's counters without a movement, as a bug or a hand edit would. */
async function injectDrift(
  table: TestTable,
  sku: Sku,
  locationId: LocationId,
  shard: number,
  add: Record<string, number>,
) {
  const fields = Object.keys(add);
  await table.client.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: levelKey(sku, locationId, shard),
      UpdateExpression: `ADD ${fields.map((f) => `#${f} :${f}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map((f) => [`#${f}`, f])),
      ExpressionAttributeValues: Object.fromEntries(fields.map((f) => [`:${f}`, add[f]])),
    }),
  );
}

describe('reconciliation', () => {
  it('reports nothing on a clean history of every kind of change', async () => {
    // Prepare
    const { deps } = await aTable();
    await aCleanHistory(deps);
    const publisher = collectingPublisher();

    // Act
    const report = await reconcile(deps, { publisher });

    // Assess: two locations of the first SKU, and four shards of the sharded one, whose split listed it already
    expect(report).toMatchObject({
      checked: 6,
      consistent: 6,
      drifts: [],
      busy: [],
      events: [],
      complete: true,
      registry: { written: 0, removed: 0, skipped: 0, notStarted: 0 },
    });
    expect(publisher.events).toEqual([]);
  });

  it('finds drifts injected behind the service’s back, with the difference per bucket, and changes nothing', async () => {
    // Prepare
    const { table, deps } = await aTable();
    const { sku, locationId, sharded } = await aCleanHistory(deps);
    await injectDrift(table, sku, locationId, 0, { onHand: 5, available: 5 });
    await injectDrift(table, sharded.sku, sharded.locationId, 2, { version: 1 });
    const before = await Promise.all([
      deps.levels.getLevelShards(sku, locationId),
      deps.levels.getLevelShards(sharded.sku, sharded.locationId),
    ]);
    const publisher = collectingPublisher();

    // Act
    const report = await reconcile(deps, { publisher });

    // Assess
    expect(report.drifts.map((d) => [d.sku, d.shard, d.difference])).toEqual(
      expect.arrayContaining([
        [sku, 0, { onHand: 5, available: 5 }],
        [sharded.sku, 2, { version: 1 }],
      ]),
    );
    expect(report).toMatchObject({ checked: 6, consistent: 4, busy: [] });
    const drift = report.drifts.find((d) => d.sku === sku);
    expect(drift?.actual?.onHand).toBe((drift?.expected?.onHand ?? 0) + 5);
    expect(publisher.events).toHaveLength(2);
    for (const event of publisher.events)
      expect(parseDomainEvent(event)['detail-type']).toBe('ReconciliationDriftFound');
    expect(publisher.events.map((e) => e.detail.eventId)).toContain(
      `ReconciliationDriftFound#${sku}#${locationId}#0#${drift?.actual?.version}`,
    );
    const after = await Promise.all([
      deps.levels.getLevelShards(sku, locationId),
      deps.levels.getLevelShards(sharded.sku, sharded.locationId),
    ]);
    expect(after).toEqual(before);
  });

  it('verifies a level written during every check by counting its movements, and reports one written on both sides of each ledger read as busy', async () => {
    // Prepare
    const { deps } = await aTable();
    const calm = await aStockedLevel(deps, 10);
    const writtenBefore = await aStockedLevel(deps, 10);
    const writtenAfter = await aStockedLevel(deps, 10);
    const alwaysBusy = await aStockedLevel(deps, 10);
    const buyer = aPrincipal();
    const reserveOne = (shard: { sku: Sku; locationId: LocationId }) =>
      reserveStock(deps, { sku: shard.sku, locationId: shard.locationId, quantity: 1 }, buyer);

    // Act: reserves land between the first read of a shard and the read of its ledger, or after the ledger read
    const report = await reconcile(deps, {
      attempts: 3,
      afterLevelRead: async (shard) => {
        if (shard.sku === writtenBefore.sku || shard.sku === alwaysBusy.sku) await reserveOne(shard);
      },
      afterLedgerRead: async (shard) => {
        if (shard.sku === writtenAfter.sku || shard.sku === alwaysBusy.sku) await reserveOne(shard);
      },
    });

    // Assess
    expect(report.drifts).toEqual([]);
    expect(report.busy.map((b) => [b.sku, b.attempts])).toEqual([[alwaysBusy.sku, 3]]);
    expect(report.consistent).toBe(3);
    expect(report.verifiedWhileWritten).toBe(2);
    expect(calm.sku).not.toBe(writtenBefore.sku);
    expect((await deps.levels.getLevel(writtenBefore.sku, writtenBefore.locationId))?.reserved).toBe(1);
    expect((await deps.levels.getLevel(writtenAfter.sku, writtenAfter.locationId))?.reserved).toBe(1);
  });

  it('runs as npm run reconcile: a table of the drifts, and a non-zero exit', async () => {
    // Prepare
    const { table, deps } = await aTable();
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await aStockedLevel(deps, 10);
    await injectDrift(table, sku, locationId, 0, { reserved: 2 });

    // Act
    const outcome = await run('node_modules/.bin/tsx', ['scripts/reconcile.ts'], {
      env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint, TABLE_NAME: table.tableName },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('2 level shards');
    expect(outcome.stdout).toContain(
      'Checked: 0 from their checkpoint (only movements after it replayed), 2 whole ledgers',
    );
    expect(outcome.stdout).toContain('0 known from checkpoints, 2 new found by the discovery scan');
    expect(outcome.stdout).toMatch(
      new RegExp(`${sku}@${locationId}#0 +DRIFT +reserved \\+2 \\(ledger 0, level 2\\)`),
    );
  });
  it('says as npm run reconcile what it repaired in the registry of sharded levels', async () => {
    // Prepare: a level split into 4 shards whose registry entry is gone (a table split before ADR 43)
    const { table, deps } = await aTable();
    const { sku, locationId } = await aStockedLevel(deps, 40, aSku(), undefined, 4);
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: shardRegistryKey(registryBucketOf(sku, locationId)),
        UpdateExpression: 'REMOVE #level',
        ExpressionAttributeNames: { '#level': `${sku}#${locationId}` },
      }),
    );

    // Act
    const outcome = await run('node_modules/.bin/tsx', ['scripts/reconcile.ts'], {
      env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint, TABLE_NAME: table.tableName },
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

    // Assess
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('Registry of sharded levels: 1 entry written, 0 removed.');
  });

  it('runs with no variables against the running local runtime that runtime.json in the data folder names', async () => {
    // Prepare: a runtime file as npm start writes it, naming a live process (this one) and a table with a drift
    const { table, deps } = await aTable();
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await injectDrift(table, sku, locationId, 0, { reserved: 1 });
    const dataDir = mkdtempSync(join(tmpdir(), 'inventory-reconcile-'));
    writeFileSync(
      join(dataDir, 'runtime.json'),
      JSON.stringify({
        pid: process.pid,
        api: 'http://127.0.0.1:1',
        dynamoEndpoint: table.endpoint,
        tableName: table.tableName,
        startedAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    const { AWS_ENDPOINT_URL_DYNAMODB: _e, TABLE_NAME: _t, ...env } = process.env;

    // Act
    const outcome = await run('node_modules/.bin/tsx', ['scripts/reconcile.ts'], {
      env: { ...env, INVENTORY_DATA_DIR: dataDir },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    rmSync(dataDir, { recursive: true, force: true });

    // Assess
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(outcome.stdout).toContain(`table ${table.tableName}: 0 consistent, 1 drifted`);
  });

  it('says that no local runtime is running, and what to do, when nothing names a table', async () => {
    // Prepare: an empty data folder, and one whose runtime.json names a process that is gone
    const empty = mkdtempSync(join(tmpdir(), 'inventory-reconcile-'));
    const stale = mkdtempSync(join(tmpdir(), 'inventory-reconcile-'));
    writeFileSync(
      join(stale, 'runtime.json'),
      JSON.stringify({
        pid: 2 ** 22 + 17,
        api: 'http://127.0.0.1:1',
        dynamoEndpoint: 'http://127.0.0.1:1',
        tableName: 'inventory-local',
        startedAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    const { AWS_ENDPOINT_URL_DYNAMODB: _e, TABLE_NAME: _t, ...env } = process.env;
    const reconcileIn = (dataDir: string) =>
      run('node_modules/.bin/tsx', ['scripts/reconcile.ts'], {
        env: { ...env, INVENTORY_DATA_DIR: dataDir },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );

    // Act
    const [nothing, gone] = await Promise.all([reconcileIn(empty), reconcileIn(stale)]);
    rmSync(empty, { recursive: true, force: true });
    rmSync(stale, { recursive: true, force: true });

    // Assess
    expect(nothing.code).toBe(3);
    expect(nothing.stderr).toContain('no local runtime is running (no ');
    expect(nothing.stderr).toContain('npm start');
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain(`names pid ${2 ** 22 + 17}`);
    expect(gone.stderr).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });
});
