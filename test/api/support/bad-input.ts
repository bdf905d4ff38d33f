import fc from 'fast-check';
import {
  CART_PATTERN,
  LOCATION_PATTERN,
  RESERVATION_PATTERN,
  SKU_PATTERN,
} from '../../../shared/kernel/identifiers.js';
import { MAX_QUANTITY } from '../../../shared/kernel/quantity.js';
import { MAX_COUNTED_QUANTITY } from '../../../shared/platform/http/schemas/common.js';
import { decodeCursor } from '../../../shared/platform/store/cursor.js';

/**
 * Generators of bad input. Each one yields only values that the API must refuse, checked by the same rule the
 * API applies, so that a generated request can never be a valid one that changes stock.
 */
const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

const text = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

/** Not a valid identifier of `pattern`, and not a dot segment (which a URL would resolve away). */
export const badIdentifier = (pattern: RegExp) =>
  fc
    .oneof(
      text,
      fc.constantFrom('', ' ', '#', 'a#b', '-x', '_x', 'a b', 'ä', 'x'.repeat(300), 'A/B', '%', '?', 'a?b=c'),
      fc.string({ minLength: 65, maxLength: 140, unit: fc.constantFrom('a', 'B', '1') }),
    )
    .filter((s) => !pattern.test(s) && s !== '.' && s !== '..');

export const badSku = badIdentifier(SKU_PATTERN);
export const badLocationId = badIdentifier(LOCATION_PATTERN);
export const badReservationId = badIdentifier(RESERVATION_PATTERN);
export const badCartId = badIdentifier(CART_PATTERN);

/** Wrong type, zero, negative, fractional, huge. */
export const badQuantity = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: MAX_QUANTITY + 1 }),
  fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n) || n < 1 || n > MAX_QUANTITY),
  fc.constantFrom(1.5, 0.1, -1, 2 ** 53, '1', '10', 'ten', true, null, [], {}, [1]),
  text,
);

export const badDelta = fc.oneof(
  fc.constant(0),
  fc.integer({ min: MAX_QUANTITY + 1 }),
  fc.integer({ max: -MAX_QUANTITY - 1 }),
  fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('-1', null, false, [-1]),
);

/** Not a count: negative, fractional, above the bound, or not a number. */
export const badCount = fc.oneof(
  fc.integer({ max: -1 }),
  fc.integer({ min: MAX_COUNTED_QUANTITY + 1 }),
  fc.double({ noNaN: true, min: 0, max: 1e6 }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('5', null, true, [5]),
);

/** Not a version: negative, fractional, or not a number. */
export const badVersion = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noNaN: true, min: 0, max: 1e6 }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('2', null, false, {}),
);

/** A TTL outside the default policy (10 to 86400 seconds), or not an integer. */
export const badTtl = fc.oneof(
  fc.integer({ max: 9 }),
  fc.integer({ min: 86_401 }),
  fc.double({ noNaN: true, min: 10, max: 86_400 }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('600', null, true, [600], { seconds: 600 }),
);

export const badText = fc.oneof(
  fc.constant(''),
  fc.string({ minLength: 257, maxLength: 400 }),
  fc
    .tuple(
      fc.string({ maxLength: 5 }),
      fc.constantFrom('\u0000', '\n', '\t', '\u007f', '\u001b'),
      fc.string({ maxLength: 5 }),
    )
    .map((parts) => parts.join('')),
  fc.integer(),
  fc.constantFrom(null, true, [], {}),
);

export const badReference = fc.oneof(
  anyJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.record({ type: fc.constantFrom('PO', 'has space', '', 'x'.repeat(40), 1), id: fc.constant('ok') }),
  fc.record({
    type: fc.constant('purchase-order'),
    id: fc.constantFrom('', 'has space', 'x'.repeat(200), 7),
  }),
  fc.record({ type: fc.constant('purchase-order'), id: fc.constant('ok'), extra: anyJson }),
);

/** Body text that does not parse as JSON (never empty: an empty body is an absent one). */
export const badJsonText = fc
  .oneof(
    fc.string({ minLength: 1 }),
    fc.constantFrom(
      '{',
      '{"quantity": 1',
      '{"quantity": 1,}',
      "{'quantity': 1}",
      'NaN',
      '[1,]',
      ' ',
      '{"a":01}',
      'undefined',
    ),
    fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
  )
  .filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  });

/** A JSON body that is not an object. */
export const notAnObject = fc.oneof(
  fc.array(anyJson, { maxLength: 3 }),
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.boolean(),
);

/**
 * A content type the API must not take for a JSON body: anything but `application/json`, optionally with
 * `charset=utf-8` (written out here rather than borrowed from the API, so that a lax API fails this test).
 */
const ACCEPTED_JSON = /^\s*application\/json\s*(;\s*charset="?utf-8"?\s*)?;?\s*$/i;

export const badContentType = fc
  .oneof(
    fc.constantFrom(
      'text/plain',
      'text/json',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/jsonx',
      'application/merge-patch+json',
      'json',
      '*/*',
    ),
    fc.stringMatching(/^[a-z]{1,10}\/[a-z0-9.+-]{1,20}$/),
  )
  .filter((type) => !ACCEPTED_JSON.test(type));

/** An Idempotency-Key with a space inside, or too long (fetch would trim an outer space away). */
export const badIdempotencyKey = fc.oneof(
  fc
    .tuple(fc.stringMatching(/^[!-~]{1,20}$/), fc.stringMatching(/^[!-~]{1,20}$/))
    .map(([a, b]) => `${a} ${b}`),
  fc.string({ minLength: 256, maxLength: 300, unit: fc.constantFrom('k', '-', '7') }),
);

/** A query string of the movements route that it must refuse. */
export const badMovementsQuery = fc.oneof(
  fc
    .oneof(
      fc.constantFrom('0', '101', '-1', 'abc', '1.5', '', ' 5', '1e2', '0x10', '1000'),
      fc.string({ maxLength: 6 }),
    )
    .filter((s) => !(/^[0-9]{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= 100))
    .map((limit) => new URLSearchParams({ limit })),
  fc
    .string({ maxLength: 10 })
    .filter((s) => s !== 'asc' && s !== 'desc')
    .map((order) => new URLSearchParams({ order })),
  fc
    .oneof(
      fc.string({ maxLength: 60 }),
      fc.base64String({ maxLength: 60 }),
      fc.json().map((j) => Buffer.from(j).toString('base64url')),
    )
    .filter((cursor) => {
      try {
        decodeCursor(cursor);
        return false;
      } catch {
        return true;
      }
    })
    .map((cursor) => new URLSearchParams({ cursor })),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }))
    .filter(([key]) => !['limit', 'cursor', 'order'].includes(key))
    .map(([key, value]) => new URLSearchParams({ [key]: value })),
);

/** Not a reorder point or quantity (null is valid: it clears one). */
export const badPolicyLimit = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: MAX_QUANTITY + 1 }),
  fc.double({ noNaN: true, min: 1, max: 1e6 }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('5', true, [5], {}),
);

/** Not a safety stock: negative, fractional, above the bound, or not a number. */
export const badSafetyStock = fc.oneof(
  fc.integer({ max: -1 }),
  fc.integer({ min: MAX_QUANTITY + 1 }),
  fc.double({ noNaN: true, min: 0, max: 1e6 }).filter((n) => !Number.isInteger(n)),
  fc.constantFrom('5', null, true, [5]),
);

/** A query string of the replenishments list that it must refuse. */
export const badReplenishmentsQuery = fc.oneof(
  fc
    .oneof(fc.constantFrom('open', 'RECEIVED', 'ALL', ''), fc.string({ maxLength: 8 }))
    .filter((state) => state !== 'OPEN' && state !== 'CLOSED')
    .map((state) => new URLSearchParams({ state })),
  fc.constantFrom('SKU-1', 'MUG').map((sku) => new URLSearchParams({ sku })),
  badLocationId.map((locationId) => new URLSearchParams({ locationId })),
  badSku.map((sku) => new URLSearchParams({ sku, locationId: 'WH-1' })),
  badMovementsQuery.filter((q) => !q.has('order')),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }))
    .filter(([key]) => !['limit', 'cursor', 'state', 'sku', 'locationId'].includes(key))
    .map(([key, value]) => new URLSearchParams({ [key]: value })),
);

/** Not the lines of a cart (`line` is a valid line to break): empty, too many, a bad line, or not a list. */
export const badCartLines = (line: Record<string, unknown>) =>
  fc.oneof(
    fc.constant([]),
    fc.constant(Array.from({ length: 51 }, () => line)),
    fc
      .oneof(
        badSku.map((sku) => ({ ...line, sku })),
        badQuantity.map((quantity) => ({ ...line, quantity })),
        badLocationId.map((locationId) => ({ ...line, locationId })),
        fc.constant({ ...line, note: 'gift' }),
        fc.constant({ quantity: 1 }),
        notAnObject,
      )
      .map((bad) => [line, bad]),
    fc.constantFrom(line, 'lines', 3, null, { 0: line }),
  );

/** Not an allocation strategy. */
export const badStrategy = fc.oneof(
  fc.constantFrom('cheapest', 'PRIORITY', 'nearest ', '', null, 1, ['priority']),
  fc.string({ maxLength: 12 }).filter((s) => !['priority', 'fewest-shipments', 'nearest'].includes(s)),
);

/** Not a destination: latitude or longitude out of range or not a number, a missing one, or not an object. */
export const badCoordinates = fc.oneof(
  fc.record({ latitude: fc.double({ min: 90.001, max: 1e6, noNaN: true }), longitude: fc.constant(0) }),
  fc.record({ latitude: fc.constant(0), longitude: fc.double({ min: 180.001, max: 1e6, noNaN: true }) }),
  fc.record({ latitude: fc.constant(0), longitude: fc.constantFrom('east', null, [1]) }),
  fc.constantFrom({ latitude: 1 }, { latitude: 1, longitude: 2, altitude: 3 }, 'here', 5, []),
);
