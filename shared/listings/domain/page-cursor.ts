import { ValidationError } from '../../kernel/errors.js';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '../../kernel/opaque-cursor.js';

/**
 * The opaque cursor of a listing: the position of the last row it examined (a sort key of a listing index) and,
 * for a listing over several locations, the location it was at. Decoding checks the shape, so that a forged or
 * mangled cursor is a 400 naming the field, never a 500.
 */
export interface PagePosition {
  readonly after: string;
  readonly locationId?: string;
}

const PRINTABLE = /^[\x21-\x7e]{1,300}$/;

export function encodePageCursor(position: PagePosition): string {
  const body =
    position.locationId === undefined ? { a: position.after } : { a: position.after, l: position.locationId };
  return encodeOpaqueCursor(body);
}

export function decodePageCursor(cursor: string, field = 'cursor'): PagePosition {
  const invalid = () => new ValidationError(field, `${field} is not a cursor returned by this API`);
  const { a, l, ...rest } = decodeOpaqueCursor(cursor, 1024, invalid);
  if (Object.keys(rest).length > 0 || typeof a !== 'string') throw invalid();
  if (l === undefined) {
    if (!PRINTABLE.test(a)) throw invalid();
    return { after: a };
  }
  // Over several locations, an empty position is the start of the cursor's location.
  if (typeof l !== 'string' || !PRINTABLE.test(l) || (a !== '' && !PRINTABLE.test(a))) throw invalid();
  return { after: a, locationId: l };
}
