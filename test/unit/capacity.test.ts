import { describe, expect, it } from 'vitest';
import {
  type IndexSpec,
  indexWriteUnits,
  itemSize,
  numberSize,
  readUnits,
  writeCapacity,
  writeUnits,
} from '../../shared/platform/store/capacity.js';

const expiry: IndexSpec = { partitionKey: 'expiryBucket', sortKey: 'expiresAt', projected: ['quantity'] };
const KEYS = ['pk', 'sk'];

describe('capacity units from item sizes', () => {
  it('sizes an item as its attribute names plus their values, maps and lists with their overhead', () => {
    // Act / Assess: "pk"+"SKU#A" = 7, "version"+12 = 7 + 2, "m" + map {a: 1} = 1 + 3 + (1 + 1 + 2)
    expect(itemSize({ pk: { S: 'SKU#A' } })).toBe(7);
    expect(itemSize({ version: { N: '12' } })).toBe(9);
    expect(itemSize({ m: { M: { a: { N: '1' } } } })).toBe(8);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { BOOL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ é: { S: 'é' } })).toBe(4);
  });

  it('sizes a number by its significant digits', () => {
    expect(numberSize('1200')).toBe(2);
    expect(numberSize('0.05')).toBe(2);
    expect(numberSize('123456')).toBe(4);
    expect(numberSize('-7')).toBe(2);
  });

  it('bills a write per KB of the larger image, doubled in a transaction, and a read per 4 KB', () => {
    expect(writeUnits(300, 200, false)).toBe(1);
    expect(writeUnits(300, 200, true)).toBe(2);
    expect(writeUnits(1024, 1025, false)).toBe(2);
    expect(readUnits(4096, { consistent: true })).toBe(1);
    expect(readUnits(4097, { consistent: true })).toBe(2);
    expect(readUnits(100, { consistent: false })).toBe(0.5);
    expect(readUnits(100, { consistent: true, transactional: true })).toBe(2);
  });

  it('bills an index for an entry added, removed or changed, twice when its key moves, and not at all otherwise', () => {
    // Prepare
    const held = {
      pk: { S: 'R#1' },
      sk: { S: 'R' },
      expiryBucket: { S: 'EXPIRY#1' },
      expiresAt: { N: '1000' },
      quantity: { N: '1' },
      status: { S: 'HELD' },
    };
    const { expiryBucket: _b, expiresAt: _e, ...released } = held;

    // Act / Assess
    expect(indexWriteUnits(null, held, expiry, KEYS)).toBe(1);
    expect(indexWriteUnits(held, released, expiry, KEYS)).toBe(1);
    expect(indexWriteUnits(held, { ...held, expiresAt: { N: '2000' } }, expiry, KEYS)).toBe(2);
    expect(indexWriteUnits(held, { ...held, status: { S: 'X' } }, expiry, KEYS)).toBe(0);
    expect(indexWriteUnits(held, { ...held, quantity: { N: '2' } }, expiry, KEYS)).toBe(1);
    expect(indexWriteUnits(null, released, expiry, KEYS)).toBe(0);
  });

  it('prices a reserve-like transaction of three small items at 6 WCU and its hold’s index entry at 1', () => {
    // Prepare
    const level = { pk: { S: 'SKU#A' }, sk: { S: 'LEVEL#W#0' }, available: { N: '9' } };
    const hold = { pk: { S: 'R#1' }, sk: { S: 'R' }, expiryBucket: { S: 'EXPIRY#1' }, expiresAt: { N: '5' } };
    const movement = { pk: { S: 'LEDGER#A#W#0' }, sk: { S: '01J' } };

    // Act
    const cost = writeCapacity(
      [
        { kind: 'update', before: level, after: { ...level, available: { N: '8' } }, transactional: true },
        { kind: 'put', before: null, after: hold, transactional: true },
        { kind: 'put', before: null, after: movement, transactional: true },
      ],
      [expiry],
      KEYS,
    );

    // Assess
    expect(cost).toEqual({ wcu: 6, indexWcu: 1, rcu: 0 });
  });
});
