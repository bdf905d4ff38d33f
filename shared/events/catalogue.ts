import { z } from 'zod';
import {
  LOCATION_PATTERN,
  PRINCIPAL_PATTERN,
  RESERVATION_PATTERN,
  SKU_PATTERN,
} from '../domain/identifiers.js';
import { MAX_QUANTITY } from '../domain/quantity.js';

/**
 * The catalogue of the domain events that the inventory publishes on its EventBridge bus: one zod schema per
 * `detail-type`, the `eventId` rule that lets consumers de-duplicate, the parser of a received event, and the
 * JSON Schemas generated from the zod schemas (see docs/events.md and docs/events/schemas/).
 *
 * Versioning: every detail carries `schemaVersion`. Adding an optional field keeps the version, and consumers
 * ignore fields they do not know (the parser drops them); renaming, removing or changing the meaning of a field
 * is a new version.
 */

export const EVENT_SOURCE = 'inventory';

export const DETAIL_TYPES = [
  'StockReceived',
  'StockAdjusted',
  'StockMoved',
  'StockCounted',
  'TransferCompleted',
  'ReservationCreated',
  'ReservationExtended',
  'ReservationConfirmed',
  'ReservationReleased',
  'ReservationExpired',
  'ReservationFulfilled',
  'ReservationCancelled',
  'StockLow',
  'StockOut',
  'StockBackInStock',
  'ReplenishmentRequested',
  'ReconciliationDriftFound',
] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

export const isDetailType = (value: unknown): value is DetailType =>
  typeof value === 'string' && (DETAIL_TYPES as readonly string[]).includes(value);

/** When each event is emitted; also the description of its JSON Schema. */
export const EMITTED_WHEN: Readonly<Record<DetailType, string>> = {
  StockReceived: 'Units were received into a level (on-hand and available rose by the quantity).',
  StockAdjusted: 'On-hand was adjusted by a signed delta, with a reason (shrinkage, found stock, damage).',
  StockMoved: 'Units were blocked (available to unavailable) or unblocked (back to available).',
  StockCounted:
    'A physical count set on-hand to the counted quantity (compare-and-set on the version); the delta may be empty.',
  TransferCompleted: 'Units left one location and arrived at another, in one transaction.',
  ReservationCreated: 'A hold was placed: reserved rose and available fell by the quantity.',
  ReservationExtended: 'A live hold was given a later expiry. No stock moved.',
  ReservationConfirmed: 'A hold became a confirmed order: the quantity moved from reserved to committed.',
  ReservationReleased: 'A hold was released before its expiry: the quantity went back to available.',
  ReservationExpired: 'A hold expired (sweeper or inline reclaim): the quantity went back to available.',
  ReservationFulfilled: 'A confirmed order shipped: committed and on-hand fell by the quantity.',
  ReservationCancelled:
    'A confirmed order was cancelled: the quantity went from committed back to available.',
  StockLow: "A change took available from at or above the level's reorder point to below it.",
  StockOut: 'A change took available from above zero to zero.',
  StockBackInStock: 'A change took available from zero to above zero.',
  ReplenishmentRequested:
    'A replenishment request was opened for a level whose available fell below its reorder point (at most one open per level).',
  ReconciliationDriftFound:
    'Reconciliation found a level whose counters or version differ from the replay of its ledger.',
};

// ---------------------------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------------------------

/** Crockford base32 ULID (movement ids) or the 26-character derived reservation id: same alphabet. */
const ULID_PATTERN = RESERVATION_PATTERN;
/** Identifiers never contain `#`, the separator of event ids and table keys. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

const sku = z.string().regex(SKU_PATTERN).describe('Stock-keeping unit.');
const locationId = z.string().regex(LOCATION_PATTERN).describe('Location (warehouse) id.');
const principal = z.string().regex(PRINCIPAL_PATTERN);
const reservationId = z.string().regex(RESERVATION_PATTERN).describe('Reservation (hold) id.');
const movementId = z
  .string()
  .regex(ULID_PATTERN)
  .describe('Id of the ledger entry (movement) of this change.');
const timestamp = z.iso.datetime();
const shard = z.int().min(0).describe('Shard of the level (0 for an unsharded level).');
const quantity = z.int().min(1).max(MAX_QUANTITY).describe('Units, a positive integer.');
const counter = z.int().min(0);
const nonZero = z.int().refine((n) => n !== 0, 'a delta entry is never zero (zero entries are left out)');
const version = z.int().min(1).describe('Number of changes applied to the level (shard), this one included.');

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

const movementReference = z
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

const counters = z
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

const base = {
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
function movementDetail<Type extends z.ZodType, Extra extends z.ZodRawShape>(type: Type, extra: Extra) {
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

const reservationFields = {
  reservationId,
  sku,
  locationId,
  quantity,
  ownerId: principal.describe('Owner of the hold (the buyer or the system that holds for it).'),
  expiresAt: timestamp.describe('When the hold expires, or expired (ISO-8601, UTC).'),
  reference: z.string().nullable().describe("The caller's reference, e.g. a cart or checkout id."),
};

const resolution = {
  movementId,
  actor: principal.describe('Who resolved the hold (its owner, an admin, or the system for an expiry).'),
};

// ---------------------------------------------------------------------------------------------------------------
// Detail schemas (without the eventId rule)
// ---------------------------------------------------------------------------------------------------------------

const details = {
  StockReceived: movementDetail(z.literal('RECEIVED'), { quantity }),
  StockAdjusted: movementDetail(z.literal('ADJUSTED'), {
    reason: z.string().min(1).describe('Why on-hand was adjusted (required for an adjustment).'),
  }),
  StockMoved: movementDetail(z.enum(['BLOCKED', 'UNBLOCKED']), {
    quantity: quantity.describe('Units blocked (available to unavailable) or unblocked (back).'),
  }),
  StockCounted: movementDetail(z.literal('COUNTED'), {
    previousOnHand: counter.describe('On-hand before the count.'),
    countedOnHand: counter.describe('The counted quantity, now the on-hand.'),
  }),
  TransferCompleted: z.object({
    ...base,
    sku,
    quantity,
    from: z.object({ locationId, movementId }).describe('The source level and its TRANSFERRED_OUT movement.'),
    to: z
      .object({ locationId, movementId })
      .describe('The destination level and its TRANSFERRED_IN movement.'),
    reason: z.string().nullable(),
    reference: movementReference,
    actor: principal,
  }),
  ReservationCreated: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('HELD'),
    movementId,
  }),
  ReservationExtended: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('HELD'),
    previousExpiresAt: timestamp.describe('The expiry before this extension.'),
    actor: principal,
  }),
  ReservationConfirmed: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('CONFIRMED'),
    ...resolution,
  }),
  ReservationReleased: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('RELEASED'),
    ...resolution,
  }),
  ReservationExpired: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('EXPIRED'),
    ...resolution,
  }),
  ReservationFulfilled: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('FULFILLED'),
    ...resolution,
  }),
  ReservationCancelled: z.object({
    ...base,
    ...reservationFields,
    status: z.literal('CANCELLED'),
    ...resolution,
  }),
  StockLow: z.object({
    ...base,
    sku,
    locationId,
    available: counter.describe('Available after the change, below the reorder point.'),
    reorderPoint: z.int().min(1),
    reorderQuantity: quantity.nullable().describe('How much to reorder, when the policy says.'),
    movementId: movementId.describe('The movement that crossed the threshold.'),
    version,
  }),
  StockOut: z.object({
    ...base,
    sku,
    locationId,
    available: z.literal(0),
    movementId: movementId.describe('The movement that took available to zero.'),
    version,
  }),
  StockBackInStock: z.object({
    ...base,
    sku,
    locationId,
    available: z.int().min(1),
    movementId: movementId.describe('The movement that took available above zero.'),
    version,
  }),
  ReplenishmentRequested: z.object({
    ...base,
    requestId: z.string().regex(REQUEST_ID_PATTERN).describe('Id of the replenishment request.'),
    sku,
    locationId,
    quantity: quantity.describe('Units to replenish.'),
    available: counter.describe('Available when the request was opened.'),
    reorderPoint: z.int().min(1),
  }),
  ReconciliationDriftFound: z.object({
    ...base,
    sku,
    locationId,
    shard,
    expected: counters.describe('What the replay of the ledger gives (version: the number of movements).'),
    actual: counters.describe('What the level item holds.'),
  }),
} satisfies Record<DetailType, z.ZodObject>;

export type DetailOf<T extends DetailType> = z.infer<(typeof details)[T]>;

// ---------------------------------------------------------------------------------------------------------------
// Event ids
// ---------------------------------------------------------------------------------------------------------------

/** The parts an event id is made of, after its detail-type. Identifiers never contain `#`. */
const EVENT_ID_PARTS: { readonly [K in DetailType]: (d: DetailOf<K>) => readonly (string | number)[] } = {
  StockReceived: (d) => [d.movementId],
  StockAdjusted: (d) => [d.movementId],
  StockMoved: (d) => [d.movementId],
  StockCounted: (d) => [d.movementId],
  TransferCompleted: (d) => [d.from.movementId],
  ReservationCreated: (d) => [d.reservationId],
  ReservationExtended: (d) => [d.reservationId, d.expiresAt],
  ReservationConfirmed: (d) => [d.reservationId],
  ReservationReleased: (d) => [d.reservationId],
  ReservationExpired: (d) => [d.reservationId],
  ReservationFulfilled: (d) => [d.reservationId],
  ReservationCancelled: (d) => [d.reservationId],
  StockLow: (d) => [d.movementId],
  StockOut: (d) => [d.movementId],
  StockBackInStock: (d) => [d.movementId],
  ReplenishmentRequested: (d) => [d.requestId],
  ReconciliationDriftFound: (d) => [d.sku, d.locationId, d.shard, d.actual.version],
};

/**
 * The event id of an event: `{detail-type}#{movementId}` for a stock change and for the threshold events it
 * causes, `{detail-type}#{reservationId}` for a hold's transition (a hold makes each transition at most once),
 * `ReservationExtended#{reservationId}#{expiresAt}`, `TransferCompleted#{source movementId}`,
 * `ReplenishmentRequested#{requestId}`, and `ReconciliationDriftFound#{sku}#{locationId}#{shard}#{version}`.
 * The same change always gives the same id, so a redelivered or re-published event is recognised.
 */
export function eventIdFor<T extends DetailType>(type: T, detail: Omit<DetailOf<T>, 'eventId'>): string {
  const parts = (EVENT_ID_PARTS[type] as unknown as (d: unknown) => readonly (string | number)[])(detail);
  return [type, ...parts].join('#');
}

// ---------------------------------------------------------------------------------------------------------------
// Rules that span fields
// ---------------------------------------------------------------------------------------------------------------

type Check<T extends DetailType> = (d: DetailOf<T>) => string | null;

const onlyBuckets = (d: { delta: Record<string, number | undefined> }, expected: Record<string, number>) => {
  const actual = Object.entries(d.delta).filter(([, n]) => n !== undefined);
  const same =
    actual.length === Object.keys(expected).length && actual.every(([bucket, n]) => expected[bucket] === n);
  return same ? null : `delta must be ${JSON.stringify(expected)}`;
};

const CHECKS: { readonly [K in DetailType]?: readonly Check<K>[] } = {
  // A receipt against a replenishment request also takes what it brings out of `incoming`.
  StockReceived: [
    (d) =>
      onlyBuckets(
        d,
        d.delta.incoming !== undefined && d.delta.incoming < 0
          ? { onHand: d.quantity, incoming: d.delta.incoming }
          : { onHand: d.quantity },
      ),
  ],
  StockAdjusted: [(d) => (d.delta.onHand === undefined ? 'delta must change onHand' : null)],
  StockMoved: [
    (d) => onlyBuckets(d, d.type === 'BLOCKED' ? { unavailable: d.quantity } : { unavailable: -d.quantity }),
  ],
  StockCounted: [
    (d) =>
      onlyBuckets(
        d,
        d.countedOnHand === d.previousOnHand ? {} : { onHand: d.countedOnHand - d.previousOnHand },
      ),
  ],
  TransferCompleted: [(d) => (d.from.locationId === d.to.locationId ? 'from and to must differ' : null)],
  ReservationExtended: [
    (d) =>
      Date.parse(d.expiresAt) > Date.parse(d.previousExpiresAt)
        ? null
        : 'expiresAt must be later than previousExpiresAt',
  ],
  StockLow: [(d) => (d.available < d.reorderPoint ? null : 'available must be below reorderPoint')],
  ReconciliationDriftFound: [
    (d) =>
      JSON.stringify(d.expected) === JSON.stringify(d.actual) ? 'expected and actual must differ' : null,
  ],
};

function withRules<T extends DetailType>(type: T, schema: (typeof details)[T]) {
  const checks = (CHECKS[type] ?? []) as readonly Check<T>[];
  return schema.superRefine((value, ctx) => {
    const d = value as DetailOf<T>;
    const expectedId = eventIdFor(type, d);
    if (d.eventId !== expectedId) {
      ctx.addIssue({ code: 'custom', path: ['eventId'], message: `eventId must be "${expectedId}"` });
    }
    for (const check of checks) {
      const problem = check(d);
      if (problem) ctx.addIssue({ code: 'custom', path: [], message: problem });
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------------------------

type DetailSchemas = { readonly [K in DetailType]: z.ZodType<DetailOf<K>> };

/** detail-type → schema of its `detail` (field rules and the eventId rule included). */
export const detailSchemas: DetailSchemas = Object.fromEntries(
  DETAIL_TYPES.map((type) => [
    type,
    withRules(type, details[type]).meta({ title: `${type} detail`, description: EMITTED_WHEN[type] }),
  ]),
) as unknown as DetailSchemas;

export type DomainEventOf<T extends DetailType> = {
  readonly source: typeof EVENT_SOURCE;
  readonly 'detail-type': T;
  readonly detail: DetailOf<T>;
} & Readonly<Record<string, unknown>>;

export type DomainEvent = { [K in DetailType]: DomainEventOf<K> }[DetailType];

/** The schema of a whole event as EventBridge delivers it; its other envelope fields (id, time...) pass. */
export function eventSchema<T extends DetailType>(type: T) {
  return z
    .looseObject({
      source: z.literal(EVENT_SOURCE),
      'detail-type': z.literal(type),
      detail: detailSchemas[type],
    })
    .meta({ title: type, description: EMITTED_WHEN[type] });
}

/** Thrown by parseDomainEvent; `message` lists every problem with its path. */
export class InvalidDomainEventError extends Error {
  constructor(
    message: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(message);
    this.name = 'InvalidDomainEventError';
  }
}

/**
 * Validates an event `{ source, 'detail-type', detail }` (other envelope fields pass through; unknown detail
 * fields are dropped) and returns it typed by its detail-type. Throws InvalidDomainEventError.
 */
export function parseDomainEvent(event: unknown): DomainEvent {
  const envelope = z
    .looseObject({ source: z.literal(EVENT_SOURCE), 'detail-type': z.enum(DETAIL_TYPES) })
    .safeParse(event);
  if (!envelope.success) {
    throw new InvalidDomainEventError(
      `not an inventory event:\n${z.prettifyError(envelope.error)}`,
      envelope.error.issues,
    );
  }
  const type = envelope.data['detail-type'];
  const parsed = eventSchema(type).safeParse(event);
  if (!parsed.success) {
    throw new InvalidDomainEventError(
      `invalid ${type} event:\n${z.prettifyError(parsed.error)}`,
      parsed.error.issues,
    );
  }
  return parsed.data as DomainEvent;
}

/**
 * The JSON Schema (draft 2020-12) of each event, generated from the zod schemas. It describes what the parser
 * accepts: unknown fields are allowed. Rules that span fields (the eventId derivation, delta consistency) are
 * not expressible in JSON Schema and are enforced by parseDomainEvent only.
 */
export function eventJsonSchemas(): Record<DetailType, Record<string, unknown>> {
  return Object.fromEntries(
    DETAIL_TYPES.map((type) => [type, z.toJSONSchema(eventSchema(type), { io: 'input' })]),
  ) as unknown as Record<DetailType, Record<string, unknown>>;
}

/** Builds an event with its derived id. */
export function domainEvent<T extends DetailType>(
  type: T,
  detail: Omit<DetailOf<T>, 'eventId'>,
): DomainEvent {
  return {
    source: EVENT_SOURCE,
    'detail-type': type,
    detail: { ...detail, eventId: eventIdFor(type, detail) },
  } as unknown as DomainEvent;
}
