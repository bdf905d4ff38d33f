import * as z from 'zod';
import {
  IDEMPOTENCY_KEY_PATTERN,
  type IdempotencyKey,
  LOCATION_PATTERN,
  type LocationId,
  PRINCIPAL_PATTERN,
  type PrincipalId,
  RESERVATION_PATTERN,
  type ReservationId,
  SKU_PATTERN,
  type Sku,
} from '../../../kernel/identifiers.js';
import { MAX_QUANTITY } from '../../../kernel/quantity.js';
import { HARD_MAX_HOLD_SECONDS } from '../../config/service-config.js';
import { documentedAs, named } from './registry.js';

/**
 * The building blocks of request and response schemas. Identifier rules are the domain's own patterns, and
 * quantity bounds the domain's own constants, so that the API and the domain cannot disagree.
 */
function identifier<T extends string>(pattern: RegExp, rule: string) {
  return z
    .string({ error: `must be ${rule}` })
    .regex(pattern, { error: `must be ${rule}` })
    .transform((value) => value as T);
}

export const skuSchema = named(
  identifier<Sku>(SKU_PATTERN, '1 to 64 letters, digits and . _ : - (starting with a letter or digit)'),
  'Sku',
  'A stock keeping unit.',
);
export const locationIdSchema = named(
  identifier<LocationId>(
    LOCATION_PATTERN,
    '1 to 32 letters, digits, _ and - (starting with a letter or digit)',
  ),
  'LocationId',
  'A location (warehouse, store) id.',
);
export const principalIdSchema = named(
  identifier<PrincipalId>(PRINCIPAL_PATTERN, '1 to 128 letters, digits and . _ : @ | + -'),
  'PrincipalId',
  'A caller: the `sub` of its token.',
);
export const reservationIdSchema = named(
  identifier<ReservationId>(RESERVATION_PATTERN, '26 characters of Crockford base32'),
  'ReservationId',
  'A reservation (hold) id.',
);
export const idempotencyKeySchema = identifier<IdempotencyKey>(
  IDEMPOTENCY_KEY_PATTERN,
  '1 to 255 printable ASCII characters without spaces',
);

/** An integer in [min, max], with one message for every way of missing it (type, fraction, range). */
export function intBetween(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export const quantitySchema = named(
  intBetween(1, MAX_QUANTITY),
  'Quantity',
  `A number of units: an integer from 1 to ${MAX_QUANTITY}.`,
);

const deltaError = `must be a non-zero integer from -${MAX_QUANTITY} to ${MAX_QUANTITY}`;
export const deltaSchema = documentedAs(
  intBetween(-MAX_QUANTITY, MAX_QUANTITY).refine((n) => n !== 0, { error: deltaError }),
  () => ({
    type: 'integer',
    minimum: -MAX_QUANTITY,
    maximum: MAX_QUANTITY,
    not: { const: 0 },
    description: 'Units to add (positive) or write off (negative) on hand; never 0.',
  }),
);

/** The largest quantity a count may set on hand: far above any real shelf, far below 2^53. */
export const MAX_COUNTED_QUANTITY = 1_000_000_000;

export const countSchema = intBetween(0, MAX_COUNTED_QUANTITY);
export const versionSchema = intBetween(0, Number.MAX_SAFE_INTEGER);

/**
 * Any TTL a deployment may allow; the use cases check the served hold policy (`parseTtlSeconds`), and the
 * document states that policy's bounds.
 */
export const ttlSecondsSchema = documentedAs(intBetween(1, HARD_MAX_HOLD_SECONDS), ({ holdPolicy }) => ({
  type: 'integer',
  minimum: holdPolicy.minTtlSeconds,
  maximum: holdPolicy.maxTtlSeconds,
  description: `Seconds until the hold expires; ${holdPolicy.defaultTtlSeconds} when absent.`,
}));

/**
 * A query parameter holding an integer in [min, max], written in decimal without sign or leading zeros: what
 * a client that reads `type: integer` sends.
 */
export function queryIntBetween(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return documentedAs(
    z
      .string({ error })
      .regex(/^(0|[1-9][0-9]{0,15})$/, { error })
      .transform(Number)
      .pipe(intBetween(min, max)),
    () => ({ type: 'integer', minimum: min, maximum: max }),
  );
}

/**
 * Characters of free text: anything but the C0 and C1 control characters (Unicode category Cc). Written with
 * \x escapes rather than \p{Cc} so that every regex dialect reads the document's pattern the same way: without
 * the u flag, in Python, Go (RE2) and Java.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const NO_CONTROL_CHARACTERS = /^[^\x00-\x1F\x7F-\x9F]*$/;

/** Free text without control characters. */
export function text(min: number, max: number) {
  const error = `must be ${min} to ${max} characters without control characters`;
  return z.string({ error }).min(min, { error }).max(max, { error }).regex(NO_CONTROL_CHARACTERS, { error });
}

export const reasonSchema = text(1, 256).describe('Why: recorded on the ledger entry.');

export const movementReferenceSchema = named(
  z.strictObject({
    type: z
      .string({ error: 'must be 1 to 32 lower-case letters, digits and -' })
      .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'must be 1 to 32 lower-case letters, digits and -' }),
    id: z
      .string({ error: 'must be 1 to 128 printable ASCII characters without spaces' })
      .regex(/^[\x21-\x7e]{1,128}$/, { error: 'must be 1 to 128 printable ASCII characters without spaces' }),
  }),
  'MovementReference',
  'What a movement refers to, e.g. `{"type": "purchase-order", "id": "PO-1"}`.',
);

export const timestampSchema = named(z.iso.datetime(), 'Timestamp', 'An ISO-8601 UTC time.');
