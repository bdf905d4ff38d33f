import * as z from 'zod';
import {
  LOCATION_PATTERN,
  PRINCIPAL_PATTERN,
  RESERVATION_PATTERN,
  SKU_PATTERN,
} from '../kernel/identifiers.js';
import { MAX_QUANTITY } from '../kernel/quantity.js';

/**
 * The building blocks of the event catalogue (shared/events/catalogue.ts): how one event is declared
 * (`defineEvent`), and the fields that the details of several events share.
 */

/** An event's declaration: everything the catalogue knows of one detail-type, in one place. */
export interface EventDefinition<Type extends string, Detail extends z.ZodObject> {
  readonly type: Type;
  /** When the event is emitted; also the description of its JSON Schema. */
  readonly when: string;
  /** The schema of its `detail` (without the rules that span fields). */
  readonly detail: Detail;
  /** The parts its event id is made of, after its detail-type. Identifiers never contain `#`. */
  readonly idParts: (d: z.infer<Detail>) => readonly (string | number)[];
  /** Rules that span fields: each gives the problem, or null. */
  readonly checks?: readonly ((d: z.infer<Detail>) => string | null)[];
}

export function defineEvent<const Type extends string, Detail extends z.ZodObject>(
  definition: EventDefinition<Type, Detail>,
): EventDefinition<Type, Detail> {
  return definition;
}

// ---------------------------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------------------------

/** Crockford base32 ULID (movement ids) or the 26-character derived reservation id: same alphabet. */
const ULID_PATTERN = RESERVATION_PATTERN;
/** Identifiers never contain `#`, the separator of event ids and table keys. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const sku = z.string().regex(SKU_PATTERN).describe('Stock-keeping unit.');
export const locationId = z.string().regex(LOCATION_PATTERN).describe('Location (warehouse) id.');
export const principal = z.string().regex(PRINCIPAL_PATTERN);
export const reservationId = z.string().regex(RESERVATION_PATTERN).describe('Reservation (hold) id.');
export const movementId = z
  .string()
  .regex(ULID_PATTERN)
  .describe('Id of the ledger entry (movement) of this change.');
export const timestamp = z.iso.datetime();
export const shard = z.int().min(0).describe('Shard of the level (0 for an unsharded level).');
export const quantity = z.int().min(1).max(MAX_QUANTITY).describe('Units, a positive integer.');
export const counter = z.int().min(0);
const nonZero = z.int().refine((n) => n !== 0, 'a delta entry is never zero (zero entries are left out)');
export const version = z
  .int()
  .min(1)
  .describe('Number of changes applied to the level (shard), this one included.');

const delta = z
  .object({
    onHand: nonZero.optional(),
    reserved: nonZero.optional(),
    committed: nonZero.optional(),
    unavailable: nonZero.optional(),
    safetyStock: nonZero.optional(),
    incoming: nonZero.optional(),
  })
  .describe('The change of each bucket; only non-zero buckets appear.');

export const movementReference = z
  .object({ type: z.string().min(1), id: z.string().min(1) })
  .describe('What the change belongs to: a reservation, a transfer, a purchase order...');

const levelSnapshot = z
  .object({
    onHand: counter,
    reserved: counter,
    committed: counter,
    unavailable: counter,
    safetyStock: counter,
    incoming: counter,
    available: counter,
    version,
  })
  .superRefine((level, ctx) => {
    const expected = level.onHand - level.reserved - level.committed - level.unavailable - level.safetyStock;
    if (level.available !== expected) {
      ctx.addIssue({
        code: 'custom',
        path: ['available'],
        message: `available must be onHand - reserved - committed - unavailable - safetyStock = ${expected}`,
      });
    }
  })
  .describe("The level's (shard's) counters right after the change, and its version.");

export const counters = z
  .object({
    onHand: z.int(),
    reserved: z.int(),
    committed: z.int(),
    unavailable: z.int(),
    safetyStock: z.int(),
    incoming: z.int(),
    available: z.int(),
    version: z.int().min(0),
  })
  .describe('Counters and version of a level (shard).');

export const base = {
  schemaVersion: z.literal(1).describe('Version of this detail-type schema.'),
  eventId: z
    .string()
    .min(1)
    .describe(
      'Stable, unique id of the event, derived from the movement or reservation: de-duplicate on it.',
    ),
  occurredAt: timestamp.describe('When the change happened (ISO-8601, UTC).'),
};

/**
 * The detail of a stock change on one level: the movement (ledger entry) first, then the fields of its kind,
 * then the level's counters after it.
 */
export function movementDetail<Type extends z.ZodType, Extra extends z.ZodRawShape>(
  type: Type,
  extra: Extra,
) {
  return z.object({
    ...base,
    movementId,
    sku,
    locationId,
    shard,
    type: type.describe('The movement type of the ledger entry.'),
    delta,
    reason: z.string().nullable().describe('Why the change was made, as given by the caller.'),
    reference: movementReference.nullable(),
    actor: principal.describe('Who made the change.'),
    ...extra,
    level: levelSnapshot,
  });
}

export const reservationFields = {
  reservationId,
  sku,
  locationId,
  quantity,
  ownerId: principal.describe('Owner of the hold (the buyer or the system that holds for it).'),
  expiresAt: timestamp.describe('When the hold expires, or expired (ISO-8601, UTC).'),
  reference: z.string().nullable().describe("The caller's reference, e.g. a cart or checkout id."),
};

export const resolution = {
  movementId,
  actor: principal.describe('Who resolved the hold (its owner, an admin, or the system for an expiry).'),
};

/** The rule of a stock change's delta: exactly these buckets changed, by these amounts. */
export const onlyBuckets = (
  d: { delta: Record<string, number | undefined> },
  expected: Record<string, number>,
): string | null => {
  const actual = Object.entries(d.delta).filter(([, n]) => n !== undefined);
  const same =
    actual.length === Object.keys(expected).length && actual.every(([bucket, n]) => expected[bucket] === n);
  return same ? null : `delta must be ${JSON.stringify(expected)}`;
};
