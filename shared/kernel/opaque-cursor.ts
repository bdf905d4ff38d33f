import type { ValidationError } from './errors.js';

/** A cursor's body as opaque text (base64url of its JSON): clients pass it back, they do not read it. */
export function encodeOpaqueCursor(body: object): string {
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/**
 * The JSON object an opaque cursor carries; anything else (longer than `maxLength`, not base64url, not JSON, not
 * an object) is refused with `invalid()`, so that a forged or mangled cursor is a 400 naming its field, never a
 * 500. The caller checks the object's own shape.
 */
export function decodeOpaqueCursor(
  cursor: string,
  maxLength: number,
  invalid: () => ValidationError,
): Record<string, unknown> {
  if (cursor.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  return parsed as Record<string, unknown>;
}
