import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/kernel/errors.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../shared/kernel/opaque-cursor.js';

const invalid = () => new ValidationError('cursor', 'cursor is not a cursor returned by this API');

describe('an opaque cursor', () => {
  it('gives back the object it was made from', () => {
    // Prepare
    const cursor = encodeOpaqueCursor({ a: 'SKU-1', l: 'WH-1' });

    // Act
    const body = decodeOpaqueCursor(cursor, 1024, invalid);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(body).toEqual({ a: 'SKU-1', l: 'WH-1' });
  });

  it.each([
    ['not base64url', 'abc+def/=='],
    ['not JSON', Buffer.from('{not json', 'utf8').toString('base64url')],
    ['JSON but not an object', Buffer.from('"text"', 'utf8').toString('base64url')],
    ['an array', Buffer.from('[1,2]', 'utf8').toString('base64url')],
    ['null', Buffer.from('null', 'utf8').toString('base64url')],
    ['longer than allowed', 'a'.repeat(33)],
  ])("refuses a cursor that is %s with the caller's error", (_why, cursor) => {
    // Act
    const decode = () => decodeOpaqueCursor(cursor, 32, invalid);

    // Assess
    expect(decode).toThrow(expect.objectContaining({ field: 'cursor' }));
    expect(decode).toThrow(ValidationError);
  });
});
