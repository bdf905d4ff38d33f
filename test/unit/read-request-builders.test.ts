import { describe, expect, it } from 'vitest';
import { buildExpiredHoldsQuery, buildReservationGet } from '../../shared/holds/store/requests/holds.js';
import {
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import {
  buildCreateLocation,
  buildLocationsQuery,
  buildLocationUpdate,
} from '../../shared/locations/store/requests/locations.js';
import { buildBatchGet, buildGet, buildPartitionQuery } from '../../shared/platform/store/requests/reads.js';
import {
  buildClosedReplenishmentGet,
  buildClosedReplenishmentsQuery,
  buildOpenReplenishmentGet,
  buildReplenishmentListQuery,
} from '../../shared/replenishment/store/requests/replenishment-reads.js';
import {
  buildLevelShardScan,
  buildMovementBatchGet,
  buildMovementGet,
  buildShardLedgerPage,
  buildShardLedgerQuery,
} from '../../shared/stock/store/requests/ledger.js';
import {
  beyondShardZero,
  buildLevelShardGet,
  buildShardMapGet,
  buildShardRangeBatchGets,
  buildSkuLevelsQuery,
} from '../../shared/stock/store/requests/levels.js';

const T = 'inventory';
const locationId = parseLocationId('WH-1');
const sku = parseSku('SKU-1');
const AT = '2026-11-21T09:00:00.000Z';

describe('read request builders', () => {
  it('reads one item strongly consistently', () => {
    expect(buildGet(T, { pk: 'P', sk: 'S' })).toEqual({
      TableName: T,
      Key: { pk: 'P', sk: 'S' },
      ConsistentRead: true,
    });
  });

  it('queries a whole partition, or the items of a sort-key prefix', () => {
    expect(buildPartitionQuery(T, 'P')).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'P' },
      ConsistentRead: true,
    });
    expect(buildPartitionQuery(T, 'P', 'LEVEL#')).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'P', ':prefix': 'LEVEL#' },
    });
  });
});

describe('location request builders', () => {
  it('creates a location only where none exists', () => {
    const request = buildCreateLocation(T, {
      locationId,
      name: 'North',
      region: 'eu-west-1',
      ownerId: parsePrincipalId('vendor-1'),
      priority: 0,
      coordinates: null,
      active: true,
      version: 1,
      createdAt: AT,
      updatedAt: AT,
    });
    expect(request.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(request.Item).toMatchObject({ locationId: 'WH-1', name: 'North' });
  });

  it('sets the given changes, bumps the version and guards it when a version is expected', () => {
    const request = buildLocationUpdate(T, locationId, { name: 'South', active: false }, AT, 3);
    expect(request.UpdateExpression).toBe(
      'SET #updatedAt = :at, #name = :name, #active = :active ADD #version :one',
    );
    expect(request.ConditionExpression).toBe('attribute_exists(pk) AND #version = :expectedVersion');
    expect(request.ExpressionAttributeValues).toMatchObject({
      ':name': 'South',
      ':active': false,
      ':expectedVersion': 3,
    });
    expect(request.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('removes the coordinates when they are cleared, with no version guard when none is expected', () => {
    const request = buildLocationUpdate(T, locationId, { coordinates: null }, AT, null);
    expect(request.UpdateExpression).toBe(
      'SET #updatedAt = :at ADD #version :one REMOVE #latitude, #longitude',
    );
    expect(request.ConditionExpression).toBe('attribute_exists(pk)');
  });

  it('lists every location from their partition', () => {
    expect(buildLocationsQuery(T)).toMatchObject({
      KeyConditionExpression: 'pk = :pk',
      ConsistentRead: true,
    });
  });
});

describe('level request builders', () => {
  it('finds shard 0 of every level of a SKU with one query of the SKU partition', () => {
    expect(buildSkuLevelsQuery(T, sku)).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'SKU#SKU-1', ':prefix': 'LEVEL#' },
      ConsistentRead: true,
    });
  });

  it('reads shard 0 strongly consistently in the SKU partition', () => {
    expect(buildLevelShardGet(T, sku, locationId, 0)).toEqual({
      TableName: T,
      Key: { pk: 'SKU#SKU-1', sk: 'LEVEL#WH-1#0' },
      ConsistentRead: true,
    });
  });

  it('reads any other shard strongly consistently in a partition of its own', () => {
    expect(buildLevelShardGet(T, sku, locationId, 2)).toEqual({
      TableName: T,
      Key: { pk: 'SKU#SKU-1#WH-1#2', sk: 'LEVEL#WH-1#2' },
      ConsistentRead: true,
    });
  });

  it('reads nothing beyond shard 0 of an unsharded level', () => {
    // Act
    const batches = buildShardRangeBatchGets(T, [beyondShardZero({ sku, locationId, shardSpan: 1 })]);
    // Assess
    expect(batches).toEqual([]);
  });

  it('reads shards 1 to span-1 of a sharded level with one strongly consistent batch get', () => {
    // Act
    const batches = buildShardRangeBatchGets(T, [beyondShardZero({ sku, locationId, shardSpan: 3 })]);
    // Assess
    expect(batches).toEqual([
      {
        RequestItems: {
          [T]: {
            Keys: [
              { pk: 'SKU#SKU-1#WH-1#1', sk: 'LEVEL#WH-1#1' },
              { pk: 'SKU#SKU-1#WH-1#2', sk: 'LEVEL#WH-1#2' },
            ],
            ConsistentRead: true,
          },
        },
      },
    ]);
  });

  it('splits the shards of several sharded levels into batches of at most 100 keys', () => {
    // Prepare: two levels of 64 shards: 2 x 63 further shards
    const other = parseLocationId('WH-2');
    const ranges = [locationId, other].map((loc) => beyondShardZero({ sku, locationId: loc, shardSpan: 64 }));
    // Act
    const batches = buildShardRangeBatchGets(T, ranges);
    // Assess
    const keys = batches.map((b) => b.RequestItems?.[T]?.Keys ?? []);
    expect(keys.map((k) => k.length)).toEqual([100, 26]);
    expect(keys.flat()[63]).toEqual({ pk: 'SKU#SKU-1#WH-2#1', sk: 'LEVEL#WH-2#1' });
    expect(keys.flat()[125]).toEqual({ pk: 'SKU#SKU-1#WH-2#63', sk: 'LEVEL#WH-2#63' });
  });

  it('reads only the shards of a range when a level turns out wider than its shard 0 said', () => {
    // Act
    const batches = buildShardRangeBatchGets(T, [{ sku, locationId, from: 4, to: 6 }]);
    // Assess
    expect(batches[0]?.RequestItems?.[T]?.Keys).toEqual([
      { pk: 'SKU#SKU-1#WH-1#4', sk: 'LEVEL#WH-1#4' },
      { pk: 'SKU#SKU-1#WH-1#5', sk: 'LEVEL#WH-1#5' },
    ]);
  });

  it('reads only the shard map of shard 0, eventually consistent', () => {
    expect(buildShardMapGet(T, sku, locationId)).toEqual({
      TableName: T,
      Key: { pk: 'SKU#SKU-1', sk: 'LEVEL#WH-1#0' },
      ProjectionExpression: 'shardCount, shardSpan',
    });
  });
});

describe('hold request builders', () => {
  it('reads one reservation strongly consistently', () => {
    expect(buildReservationGet(T, parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0'))).toEqual({
      TableName: T,
      Key: { pk: 'RESERVATION#01JABCDEFGHJKMNPQRSTVWXYZ0', sk: 'RESERVATION' },
      ConsistentRead: true,
    });
  });

  it('pages the holds of an expiry bucket that expired by now, from the expiry index', () => {
    const request = buildExpiredHoldsQuery(T, 'expiry', 'B7', 1_000, 25);
    expect(request).toMatchObject({
      IndexName: 'expiry',
      KeyConditionExpression: '#key = :value AND #expiresAt <= :now',
      ExpressionAttributeNames: { '#key': 'expiryBucket', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: { ':value': 'B7', ':now': 1_000 },
      Limit: 25,
    });
    expect(request.ExclusiveStartKey).toBeUndefined();
  });

  it('pages the expired holds of a level shard from the levelHolds index, after a given key', () => {
    const request = buildExpiredHoldsQuery(T, 'levelHolds', 'SKU-1#WH-1#0', 1_000, 5, { pk: 'P', sk: 'S' });
    expect(request.IndexName).toBe('levelHolds');
    expect(request.ExpressionAttributeNames).toMatchObject({ '#key': 'holdLevel' });
    expect(request.ExclusiveStartKey).toEqual({ pk: 'P', sk: 'S' });
  });
});

describe('ledger request builders', () => {
  it('reads a whole shard ledger, or one movement of it, strongly consistently', () => {
    expect(buildShardLedgerQuery(T, sku, locationId, 1)).toMatchObject({
      ExpressionAttributeValues: { ':pk': 'LEDGER#SKU-1#WH-1#1' },
      ConsistentRead: true,
    });
    expect(buildMovementGet(T, sku, locationId, 1, 'M1')).toEqual({
      TableName: T,
      Key: { pk: 'LEDGER#SKU-1#WH-1#1', sk: 'M1' },
      ConsistentRead: true,
    });
  });

  it('reads movements of several shard ledgers in one strongly consistent batch, each key once', () => {
    const refs = [
      { sku, locationId, shard: 1, movementId: 'M1' },
      { sku, locationId, shard: 2, movementId: 'M2' },
      { sku, locationId, shard: 1, movementId: 'M1' },
    ];
    expect(buildMovementBatchGet(T, refs)).toEqual({
      RequestItems: {
        [T]: {
          Keys: [
            { pk: 'LEDGER#SKU-1#WH-1#1', sk: 'M1' },
            { pk: 'LEDGER#SKU-1#WH-1#2', sk: 'M2' },
          ],
          ConsistentRead: true,
        },
      },
    });
  });

  it('pages a shard ledger in either order, after the last movement it returned', () => {
    const first = buildShardLedgerPage(T, sku, locationId, 0, { forward: false, limit: 10, after: null });
    expect(first).toMatchObject({ ScanIndexForward: false, Limit: 10, ConsistentRead: true });
    expect(first.ExclusiveStartKey).toBeUndefined();
    const next = buildShardLedgerPage(T, sku, locationId, 0, { forward: true, limit: 10, after: 'M9' });
    expect(next.ExclusiveStartKey).toEqual({ pk: 'LEDGER#SKU-1#WH-1#0', sk: 'M9' });
    expect(next.ScanIndexForward).toBe(true);
  });

  it('scans for level items only, projected to their keys', () => {
    const request = buildLevelShardScan(T, 100, { pk: 'P', sk: 'S' });
    expect(request).toMatchObject({
      FilterExpression: '#kind = :level',
      ExpressionAttributeValues: { ':level': 'Level' },
      Limit: 100,
      ExclusiveStartKey: { pk: 'P', sk: 'S' },
    });
    expect(request.ProjectionExpression).toBe('pk, sk, #sku, #locationId, #shard');
  });
});

describe('replenishment read builders', () => {
  it('reads the open request by its fixed key, and a closed one by its id, from the level partition', () => {
    const open = buildOpenReplenishmentGet(T, sku, locationId);
    const closed = buildClosedReplenishmentGet(T, sku, locationId, 'R1');
    expect(open.ConsistentRead).toBe(true);
    expect(closed.Key?.pk).toBe(open.Key?.pk);
    expect(closed.Key?.sk).toBe('REQUEST#R1');
    expect(open.Key?.sk).not.toBe(closed.Key?.sk);
  });

  it("pages a level's closed requests newest first, after the cursor's key", () => {
    const request = buildClosedReplenishmentsQuery(T, sku, locationId, 20, { pk: 'P', sk: 'REQUEST#R9' });
    expect(request).toMatchObject({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':prefix': 'REQUEST#' },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 20,
      ExclusiveStartKey: { pk: 'P', sk: 'REQUEST#R9' },
    });
  });

  it("lists every level's requests in one state from the index, newest first", () => {
    const request = buildReplenishmentListQuery(T, 'CLOSED', 10);
    expect(request).toMatchObject({
      IndexName: 'expiry',
      ExpressionAttributeNames: { '#list': 'expiryBucket' },
      ExpressionAttributeValues: { ':list': 'REPLENISHMENT#CLOSED' },
      ScanIndexForward: false,
      Limit: 10,
    });
    expect(request.ExclusiveStartKey).toBeUndefined();
  });

  it('reads at most 100 keys in one batch, strongly consistently', () => {
    const keys = Array.from({ length: 150 }, (_, i) => ({ pk: `P${i}`, sk: 'S' }));
    const request = buildBatchGet(T, keys);
    expect(request.RequestItems?.[T]?.Keys).toHaveLength(100);
    expect(request.RequestItems?.[T]?.Keys?.[99]).toEqual({ pk: 'P99', sk: 'S' });
    expect(request.RequestItems?.[T]?.ConsistentRead).toBe(true);
  });
});
