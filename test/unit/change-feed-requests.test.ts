import { describe, expect, it } from 'vitest';
import { decodeChangeCursor, encodeChangeCursor } from '../../shared/changes/domain/change-cursor.js';
import {
  buildAppend,
  FEED_HEAD_KEY,
  fedMarkerKey,
  feedEntryKey,
  MAX_CHANGES_PER_APPEND,
  rangeKeys,
  withoutFed,
} from '../../shared/changes/store/requests/change-feed.js';
import { ValidationError } from '../../shared/kernel/errors.js';
import { parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import { aReceiptChange } from '../support/level-changes.js';

const sku = parseSku('TEE');
const locationId = parseLocationId('WH-1');

const changeAt = (version: number, shard = 0) => aReceiptChange(sku, locationId, version, shard);

describe('the change cursor', () => {
  it('decodes what it encodes', () => {
    expect(decodeChangeCursor(encodeChangeCursor(0))).toBe(0);
    expect(decodeChangeCursor(encodeChangeCursor(123_456))).toBe(123_456);
  });

  it.each([
    ['', 'empty'],
    ['a+b', 'not base64url'],
    [Buffer.from('[1]').toString('base64url'), 'an array'],
    [Buffer.from('{"v":1,"seq":1.5}').toString('base64url'), 'a fraction'],
    [Buffer.from('{"v":1,"seq":"1"}').toString('base64url'), 'a string position'],
    [Buffer.from('{"v":1,"seq":1,"x":0}').toString('base64url'), 'an extra member'],
  ])('refuses %j (%s) naming the field', (cursor) => {
    expect(() => decodeChangeCursor(cursor, 'after')).toThrow(ValidationError);
    try {
      decodeChangeCursor(cursor, 'after');
    } catch (error) {
      expect((error as ValidationError).field).toBe('after');
    }
  });
});

describe('the append transaction', () => {
  it('moves the head from where it was read, puts each change at the next position, and moves each shard marker on from right before its first change', () => {
    // Act
    const planned = buildAppend('t', 41, [changeAt(7), changeAt(8), changeAt(3, 1)]);

    // Assess
    const items = planned.input.TransactItems ?? [];
    expect(planned.roles).toEqual([
      { kind: 'head' },
      { kind: 'entry', seq: 42 },
      { kind: 'entry', seq: 43 },
      { kind: 'entry', seq: 44 },
      { kind: 'fed', levelShard: 'TEE#WH-1#0' },
      { kind: 'fed', levelShard: 'TEE#WH-1#1' },
    ]);
    expect(items[0]?.Update).toMatchObject({
      Key: FEED_HEAD_KEY,
      ConditionExpression: '#seq = :head',
      ExpressionAttributeValues: { ':head': 41, ':next': 44 },
    });
    expect(items[1]?.Put?.Item).toMatchObject({ ...feedEntryKey(42), kind: 'Change', seq: 42, version: 7 });
    expect(items[3]?.Put?.Item).toMatchObject({ ...feedEntryKey(44), shard: 1, version: 3 });
    expect(items[1]?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(items[4]?.Update).toMatchObject({
      Key: fedMarkerKey(sku, locationId, 0),
      ConditionExpression: 'attribute_not_exists(fedVersion) OR fedVersion = :previous',
      ExpressionAttributeValues: { ':previous': 6, ':last': 8 },
    });
    expect(items[5]?.Update?.ExpressionAttributeValues).toMatchObject({ ':previous': 2, ':last': 3 });
  });

  it('creates the head on the first append, where none may exist yet', () => {
    const planned = buildAppend('t', 0, [changeAt(1)]);
    expect(planned.input.TransactItems?.[0]?.Update?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it(`holds 1 to ${MAX_CHANGES_PER_APPEND} changes, within the 100 items of a transaction`, () => {
    const full = Array.from({ length: MAX_CHANGES_PER_APPEND }, (_, i) => changeAt(i + 1, i));
    expect(buildAppend('t', 0, full).input.TransactItems?.length).toBeLessThanOrEqual(100);
    expect(() => buildAppend('t', 0, [...full, changeAt(99, 99)])).toThrow(RangeError);
    expect(() => buildAppend('t', 0, [])).toThrow(RangeError);
  });

  it('spreads entries over partitions, and names exactly the positions of a range', () => {
    expect(new Set([1, 2, 3, 4].map((seq) => feedEntryKey(seq).pk)).size).toBe(4);
    expect(feedEntryKey(17).sk).toBe('0000000000000017');
    expect(rangeKeys(5, 8)).toEqual([feedEntryKey(6), feedEntryKey(7), feedEntryKey(8)]);
    expect(rangeKeys(0, 500)).toHaveLength(100);
  });

  it('drops the changes a marker shows appended already', () => {
    const kept = withoutFed([changeAt(3), changeAt(4), changeAt(5)], new Map([['TEE#WH-1#0', 4]]));
    expect(kept.map((c) => c.version)).toEqual([5]);
  });
});
