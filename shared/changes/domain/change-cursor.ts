import { ValidationError } from '../../kernel/errors.js';

/**
 * The change feed's opaque cursor: the `seq` of the last change a page covered (0: before the first). Any
 * cursor the feed returned stays valid forever, since `seq` is never reused. Decoding checks the shape, so that
 * a forged cursor is a 400 naming the field, never a 500.
 */
const VERSION = 1;
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export function encodeChangeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: VERSION, seq }), 'utf8').toString('base64url');
}

export function decodeChangeCursor(cursor: string, field = 'after'): number {
  const invalid = () => new ValidationError(field, `${field} is not a cursor returned by GET /changes`);
  if (cursor.length > 256 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const { v, seq, ...rest } = parsed as Record<string, unknown>;
  if (v !== VERSION || Object.keys(rest).length > 0) throw invalid();
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > MAX_SEQ) throw invalid();
  return seq;
}
