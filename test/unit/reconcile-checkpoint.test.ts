import { ulid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import {
  emptyCheckpoint,
  expectedFrom,
  idFloorAt,
  matchingRead,
} from '../../shared/stock/domain/checkpoint.js';
import type { Movement } from '../../shared/stock/domain/movement.js';
import { buildCheckpointPut, buildShardLedgerTail } from '../../shared/stock/store/requests/checkpoints.js';

const ref = { sku: 'SKU-1' as Sku, locationId: 'WH-1' as LocationId, shard: 2 };
const movement = (movementId: string, delta: Movement['delta']) => ({ movementId, delta }) as Movement;

describe('reconciliation checkpoints', () => {
  it('puts the floor of a millisecond between the ids taken before it and those taken at it', () => {
    // Prepare
    const t = Date.UTC(2026, 10, 21, 9);

    const justBefore = Array.from({ length: 50 }, () => ulid(t - 1));
    const at = Array.from({ length: 50 }, () => ulid(t));

    // Act
    const floor = idFloorAt(t);

    // Assess
    expect(floor).toHaveLength(26);
    expect(justBefore.every((id) => id < floor)).toBe(true);
    expect(at.every((id) => id >= floor)).toBe(true);
  });

  it('compares the ledger with the read it is exactly the tail of, by counting movements', () => {
    // Prepare: a checkpoint of 10 movements, a tail of 3
    const base = { count: 10 };

    // Act / Assess
    expect(matchingRead(base, 3, { version: 13 }, { version: 13 })).toBe('after');
    expect(matchingRead(base, 3, { version: 13 }, { version: 14 })).toBe('before');
    expect(matchingRead(base, 3, { version: 12 }, { version: 13 })).toBe('after');
    expect(matchingRead(base, 3, { version: 12 }, { version: 14 })).toBeNull();
    expect(matchingRead(base, 3, { version: 14 }, { version: 14 })).toBe('after');
  });

  it('adds the tail to the checkpoint’s sums', () => {
    // Prepare
    const base = {
      ...emptyCheckpoint(ref),
      count: 5,
      buckets: { ...emptyCheckpoint(ref).buckets, onHand: 7 },
    };

    // Act
    const expected = expectedFrom(base, [
      movement('A', { onHand: 3 }),
      movement('B', { reserved: 2, onHand: -1 }),
    ]);

    // Assess
    expect(expected).toEqual({
      count: 7,
      buckets: { onHand: 9, reserved: 2, committed: 0, unavailable: 0, safetyStock: 0, incoming: 0 },
    });
  });

  it('reads a shard’s ledger from the boundary on, or all of it from an empty boundary', () => {
    // Act
    const tail = buildShardLedgerTail('t', ref.sku, ref.locationId, 2, '01KAK3MMS00000000000000000');
    const all = buildShardLedgerTail('t', ref.sku, ref.locationId, 2, '');

    // Assess
    expect(tail).toEqual({
      TableName: 't',
      KeyConditionExpression: 'pk = :pk AND sk >= :boundary',
      ExpressionAttributeValues: { ':pk': 'LEDGER#SKU-1#WH-1#2', ':boundary': '01KAK3MMS00000000000000000' },
      ConsistentRead: true,
    });
    expect(all.KeyConditionExpression).toBe('pk = :pk');
  });

  it('never moves a saved checkpoint’s boundary down, and writes a first one only where there is none', () => {
    // Act
    const advance = buildCheckpointPut('t', { ...emptyCheckpoint(ref), boundary: 'B' });
    const first = buildCheckpointPut('t', emptyCheckpoint(ref), true);

    // Assess
    expect(advance.ConditionExpression).toBe('attribute_not_exists(pk) OR #boundary <= :boundary');
    expect(advance.ExpressionAttributeValues).toEqual({ ':boundary': 'B' });
    expect(advance.Item).toMatchObject({ kind: 'Checkpoint', sk: 'SKU-1#WH-1#2', boundary: 'B' });
    expect(String(advance.Item?.pk)).toMatch(/^RECONCILE#[0-7]$/);
    expect(first.ConditionExpression).toBe('attribute_not_exists(pk)');
  });
});
