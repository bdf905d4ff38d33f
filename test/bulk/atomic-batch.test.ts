import { describe, expect, it } from 'vitest';
import { atomicClashes, type BatchRow } from '../../shared/bulk/domain/batch.js';
import { type BatchCommand, buildAtomicBatch } from '../../shared/bulk/store/requests/atomic-batch.js';
import { parseIdempotencyKey, parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import type { ChangeContext, IdempotencyRecord } from '../../shared/platform/store/commands.js';
import { WAREHOUSE_CLERK } from '../support/fixtures.js';

const TABLE = 'inventory-test';
const WH1 = parseLocationId('WH-1');
const WH2 = parseLocationId('WH-2');
const context: ChangeContext = {
  actor: WAREHOUSE_CLERK,
  at: '2026-01-01T00:00:00.000Z',
  reason: null,
  reference: null,
};
const key = (n: number): IdempotencyRecord => ({
  key: parseIdempotencyKey(`k-${n}`),
  hashedKey: `h-${n}`,
  operation: 'receive',
  requestHash: `r-${n}`,
  ttlEpochSeconds: 1,
});
const receipt = (
  sku: string,
  locationId = WH1,
  idempotency: IdempotencyRecord | null = null,
): BatchCommand => ({
  kind: 'receive',
  cmd: {
    sku: parseSku(sku),
    locationId,
    movementId: `01J00000000000000000000${sku.slice(-3)}`,
    context,
    idempotency,
    quantity: 5,
  },
});
const oneShard = () => [{ shard: 0, quantity: 5 }];

describe('an atomic batch transaction', () => {
  it("holds each row's level update and movement, with its idempotency record when keyed", () => {
    // Act
    const batch = buildAtomicBatch(
      TABLE,
      [receipt('SKU-001', WH1, key(1)), receipt('SKU-002', WH2)],
      oneShard,
    );

    // Assess
    expect(batch.items).toHaveLength(7);
    expect(batch.itemsOf).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
    ]);
    expect(batch.roles.map((r) => r.role)).toEqual([
      'level',
      'movement',
      'location',
      'idempotency',
      'level',
      'movement',
      'location',
    ]);
    expect(batch.movementIds.map((ids) => ids.length)).toEqual([1, 1]);
  });

  it('checks a location once when several receipts go into it (one action per item in a transaction)', () => {
    // Act
    const batch = buildAtomicBatch(
      TABLE,
      [receipt('SKU-001'), receipt('SKU-002'), receipt('SKU-003')],
      oneShard,
    );

    // Assess
    expect(batch.roles.filter((r) => r.role === 'location')).toHaveLength(1);
    expect(batch.itemsOf).toEqual([
      [0, 1, 2],
      [3, 4],
      [5, 6],
    ]);
    const keys = batch.items.map((i) =>
      JSON.stringify(i.Update?.Key ?? i.Put?.Item?.pk ?? i.ConditionCheck?.Key),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('rows an all-or-nothing batch cannot hold', () => {
  const row = (sku: string, idempotencyKey?: string): BatchRow => ({
    op: 'receipt',
    sku: parseSku(sku),
    locationId: WH1,
    quantity: 1,
    ...(idempotencyKey ? { idempotencyKey: parseIdempotencyKey(idempotencyKey) } : {}),
  });

  it('are a second row on a level and a repeated key, each naming the earlier row', () => {
    // Act
    const clashes = atomicClashes([row('A', 'k1'), row('B'), row('A'), row('C', 'k1')]);

    // Assess
    expect([...clashes.keys()]).toEqual([2, 3]);
    expect(clashes.get(2)).toMatchObject({
      field: 'sku',
      detail: expect.stringMatching(/^row 0 already changes A@WH-1/),
    });
    expect(clashes.get(3)).toMatchObject({
      field: 'idempotencyKey',
      detail: 'row 0 carries the same idempotency key',
    });
  });

  it('are none when every row has its own level and key', () => {
    expect(atomicClashes([row('A', 'k1'), row('B', 'k2'), row('C')]).size).toBe(0);
  });
});
