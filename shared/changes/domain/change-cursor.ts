import { ValidationError } from '../../kernel/errors.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../kernel/opaque-cursor.js';

/**
 * The change feed's opaque cursor: the `seq` of the last change a page covered (0: before the first). Any
 * cursor the feed returned stays valid forever, since `seq` is never reused. Decoding checks the shape, so that
 * a forged cursor is a 400 naming the field, never a 500.
 */
const VERSION = 1;
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export function encodeChangeCursor(seq: number): string {
  return encodeOpaqueCursor({ v: VERSION, seq });
}

export function decodeChangeCursor(cursor: string, field = 'after'): number {
  const invalid = () => new ValidationError(field, `${field} is not a cursor returned by GET /changes`);
  const { v, seq, ...rest } = decodeOpaqueCursor(cursor, 256, invalid);
  if (v !== VERSION || Object.keys(rest).length > 0) throw invalid();
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw invalid();
  return seq;
}
