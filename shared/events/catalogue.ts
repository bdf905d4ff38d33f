import * as z from 'zod';
import { LEVEL_EVENTS } from './level-events.js';
import { RESERVATION_EVENTS } from './reservation-events.js';
import { STOCK_EVENTS } from './stock-events.js';

/**
 * The catalogue of the domain events that the inventory publishes on its EventBridge bus. Each event is declared
 * once (`defineEvent` in stock-events.ts, reservation-events.ts, level-events.ts: its detail-type, when it is
 * emitted, the zod schema of its detail, the parts of its id, its rules that span fields); from that list come the
 * detail-types, the `eventId` rule that lets consumers de-duplicate, the parser of a received event, and the JSON
 * Schemas (see docs/events.md and docs/events/schemas/).
 *
 * Versioning: every detail carries `schemaVersion`. Adding an optional field keeps the version, and consumers
 * ignore fields they do not know (the parser drops them); renaming, removing or changing the meaning of a field
 * is a new version.
 */

export const EVENT_SOURCE = 'inventory';

/** Every event, in the catalogue's order. */
export const EVENTS = [...STOCK_EVENTS, ...RESERVATION_EVENTS, ...LEVEL_EVENTS] as const;

type Definition = (typeof EVENTS)[number];
export type DetailType = Definition['type'];
type DefinitionOf<T extends DetailType> = Extract<Definition, { readonly type: T }>;
export type DetailOf<T extends DetailType> = z.infer<DefinitionOf<T>['detail']>;

export const DETAIL_TYPES = EVENTS.map((event) => event.type) as [DetailType, ...DetailType[]];

export const isDetailType = (value: unknown): value is DetailType =>
  typeof value === 'string' && (DETAIL_TYPES as readonly string[]).includes(value);

const definitionOf = <T extends DetailType>(type: T): DefinitionOf<T> =>
  EVENTS.find((event) => event.type === type) as DefinitionOf<T>;

/** When each event is emitted; also the description of its JSON Schema. */
export const EMITTED_WHEN = Object.fromEntries(EVENTS.map((event) => [event.type, event.when])) as Readonly<
  Record<DetailType, string>
>;

/** A definition, seen through the parts that do not depend on its detail's type. */
interface AnyDefinition {
  readonly detail: z.ZodObject;
  readonly idParts: (d: unknown) => readonly (string | number)[];
  readonly checks?: readonly ((d: unknown) => string | null)[];
}

/**
 * The event id of an event: `{detail-type}#{movementId}` for a stock change and for the threshold events it
 * causes, `{detail-type}#{reservationId}` for a hold's transition (a hold makes each transition at most once),
 * `ReservationExtended#{reservationId}#{expiresAt}`, `TransferCompleted#{source movementId}`,
 * `ReplenishmentRequested#{requestId}`, and `ReconciliationDriftFound#{sku}#{locationId}#{shard}#{version}`.
 * The same change always gives the same id, so a redelivered or re-published event is recognised.
 */
export function eventIdFor<T extends DetailType>(type: T, detail: Omit<DetailOf<T>, 'eventId'>): string {
  const parts = (definitionOf(type) as unknown as AnyDefinition).idParts(detail);
  return [type, ...parts].join('#');
}

/** The schema of an event's detail with its rules that span fields: its checks and the eventId derivation. */
function withRules(type: DetailType) {
  const definition = definitionOf(type) as unknown as AnyDefinition;
  return definition.detail.superRefine((d, ctx) => {
    const expectedId = eventIdFor(type, d as never);
    if ((d as { eventId: string }).eventId !== expectedId) {
      ctx.addIssue({ code: 'custom', path: ['eventId'], message: `eventId must be "${expectedId}"` });
    }
    for (const check of definition.checks ?? []) {
      const problem = check(d);
      if (problem) ctx.addIssue({ code: 'custom', path: [], message: problem });
    }
  });
}

type DetailSchemas = { readonly [K in DetailType]: z.ZodType<DetailOf<K>> };

/** detail-type → schema of its `detail` (field rules and the eventId rule included). */
export const detailSchemas: DetailSchemas = Object.fromEntries(
  DETAIL_TYPES.map((type) => [
    type,
    withRules(type).meta({ title: `${type} detail`, description: EMITTED_WHEN[type] }),
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
