import { ValidationError } from '../../kernel/errors.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../kernel/opaque-cursor.js';

/**
 * An opaque paging cursor: for each shard of a level, the sort key of the last movement returned (or null
 * once that shard is exhausted). Decoding checks the shape so that a forged cursor is a 400, not a 500.
 */
export type ShardPositions = Record<string, string | null>;

export function encodeCursor(positions: ShardPositions): string {
  return encodeOpaqueCursor(positions);
}

export function decodeCursor(cursor: string, field = 'cursor'): ShardPositions {
  const invalid = () => new ValidationError(field, `${field} is not a cursor returned by this API`);
  const parsed = decodeOpaqueCursor(cursor, 2048, invalid);
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.length > 64) throw invalid();
  for (const [shard, position] of entries) {
    if (!/^\d{1,2}$/.test(shard)) throw invalid();
    if (position !== null && (typeof position !== 'string' || !/^[0-9A-Z]{26}$/.test(position)))
      throw invalid();
  }
  return parsed as ShardPositions;
}

/**
 * An opaque cursor over a Query or Scan: the `LastEvaluatedKey` it stopped at. Decoding checks it names exactly
 * the expected key attributes, each of its type, so that a forged cursor is a 400, not a 500.
 */
export function encodeKeyCursor(key: Record<string, unknown>): string {
  return encodeOpaqueCursor(key);
}

/** The key attributes of the table, and of the `expiry` index, as key cursors carry them. */
export const TABLE_KEY = { pk: 'S', sk: 'S' } as const;
export const EXPIRY_INDEX_KEY = { pk: 'S', sk: 'S', expiryBucket: 'S', expiresAt: 'N' } as const;

export function decodeKeyCursor(
  cursor: string,
  keyAttributes: Readonly<Record<string, 'S' | 'N'>>,
  field = 'cursor',
): Record<string, string | number> {
  const invalid = () => new ValidationError(field, `${field} is not a cursor returned by this API`);
  const parsed = decodeOpaqueCursor(cursor, 2048, invalid);
  const entries = Object.entries(parsed);
  if (entries.length !== Object.keys(keyAttributes).length) throw invalid();
  for (const [name, value] of entries) {
    const type = keyAttributes[name];
    const ok =
      (type === 'S' && typeof value === 'string' && value.length <= 512) ||
      (type === 'N' && typeof value === 'number' && Number.isFinite(value));
    if (!ok) throw invalid();
  }
  return parsed as Record<string, string | number>;
}
