import * as z from 'zod';
import { LOCATION_PATTERN, type LocationId, SKU_PATTERN, type Sku } from '../../kernel/identifiers.js';
import { type BucketFigures, bucketFiguresOf, type StockLevel } from '../../stock/domain/stock-level.js';
import { parseTopic, type Topic, topicKey } from './topic.js';

/**
 * The live protocol's messages (docs/live.md). A client sends `{action, ...}`; the server answers and pushes
 * `{type, ...}`. Every figure comes with its level's `version` (the number of changes applied to the level, summed
 * over its shards): it only grows, so a client keeps, per level, the figures of the highest version it has seen.
 * A delta carries a level's figures after a change (not a difference), so a repeated or late one changes
 * nothing once a newer version is known.
 */

const requestId = z.string().min(1).max(64).optional();
const TOPIC_FORMS_TEXT = 'must be sku:{sku}, level:{sku}@{locationId} or location:{locationId}';
const topicFields = {
  id: requestId,
  /** The topic by its key: the only way to name a whole location. */
  topic: z
    .string()
    .max(128, TOPIC_FORMS_TEXT)
    .refine((key) => parseTopic(key) !== null, TOPIC_FORMS_TEXT)
    .optional(),
  sku: z.string().regex(SKU_PATTERN, 'must be a SKU (letters, digits, . _ : -; at most 64)').optional(),
  locationId: z
    .string()
    .regex(LOCATION_PATTERN, 'must be a location id (letters, digits, _ -; at most 32)')
    .optional(),
};

export const clientMessageSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('subscribe'), ...topicFields }),
  z.object({ action: z.literal('unsubscribe'), ...topicFields }),
  z.object({ action: z.literal('ping'), id: requestId }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const ACTIONS = ['subscribe', 'unsubscribe', 'ping'] as const;

export type ErrorCode =
  | 'bad-request'
  | 'unknown-action'
  | 'forbidden'
  | 'unknown-sku'
  | 'unknown-level'
  | 'unknown-location'
  | 'too-many-subscriptions'
  | 'not-connected';

export interface ErrorMessage {
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  /** The field of the request at fault, for `bad-request`. */
  readonly field?: string;
  readonly topic?: string;
  readonly id?: string;
}

/** What a storefront sees of one location: its available units. */
export interface LocationAvailability {
  readonly locationId: LocationId;
  readonly available: number;
  readonly version: number;
}

/** Every bucket of a level, and its version. */
export interface LevelFigures extends BucketFigures {
  readonly version: number;
}

/** One level of a location's snapshot: its SKU and every bucket. */
export interface LocationLevel {
  readonly sku: Sku;
  readonly level: LevelFigures;
}

/** How many levels one snapshot message of a location carries at most (well under a 32 KB WebSocket frame). */
export const LOCATION_SNAPSHOT_PAGE = 100;

export type SnapshotMessage =
  | {
      readonly type: 'snapshot';
      readonly topic: string;
      readonly sku: Sku;
      /** The sum of the locations' available units. */
      readonly available: number;
      readonly locations: readonly LocationAvailability[];
      readonly id?: string;
    }
  | {
      readonly type: 'snapshot';
      readonly topic: string;
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly level: LevelFigures;
      readonly id?: string;
    }
  | {
      readonly type: 'snapshot';
      readonly topic: string;
      readonly locationId: LocationId;
      /** A page of the location's levels, by SKU. */
      readonly levels: readonly LocationLevel[];
      /** True when another snapshot message of this subscription follows with the next levels. */
      readonly more: boolean;
      readonly id?: string;
    };

export type DeltaMessage =
  | {
      readonly type: 'delta';
      readonly topic: string;
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly available: number;
      readonly version: number;
    }
  | {
      readonly type: 'delta';
      readonly topic: string;
      readonly sku: Sku;
      readonly locationId: LocationId;
      readonly level: LevelFigures;
    };

export interface UnsubscribedMessage {
  readonly type: 'unsubscribed';
  readonly topic: string;
  readonly id?: string;
}

export interface PongMessage {
  readonly type: 'pong';
  readonly at: string;
  readonly id?: string;
}

export type ServerMessage = SnapshotMessage | DeltaMessage | UnsubscribedMessage | PongMessage | ErrorMessage;

/**
 * The topic a subscribe or unsubscribe names: its `topic` key when it gives one, else a level when it gives a
 * location, else the SKU (parseClientMessage has checked that there is exactly one of `topic` and `sku`).
 */
export function topicOf(message: {
  topic?: string | undefined;
  sku?: string | undefined;
  locationId?: string | undefined;
}): Topic {
  const byKey = message.topic === undefined ? null : parseTopic(message.topic);
  if (byKey) return byKey;
  const sku = message.sku as Sku;
  return message.locationId === undefined
    ? { kind: 'sku', sku }
    : { kind: 'level', sku, locationId: message.locationId as LocationId };
}

export function levelFigures(level: StockLevel): LevelFigures {
  return { ...bucketFiguresOf(level), version: level.version };
}

const withId = (id: string | undefined) => (id === undefined ? {} : { id });

/** A SKU's availability at each of its levels, and in total: what a storefront is shown. */
export function skuSnapshot(sku: Sku, levels: readonly StockLevel[], id?: string): SnapshotMessage {
  const locations = levels.map((l) => ({
    locationId: l.locationId,
    available: l.available,
    version: l.version,
  }));
  return {
    type: 'snapshot',
    topic: topicKey({ kind: 'sku', sku }),
    sku,
    available: locations.reduce((sum, l) => sum + l.available, 0),
    locations,
    ...withId(id),
  };
}

export function levelSnapshot(level: StockLevel, id?: string): SnapshotMessage {
  return {
    type: 'snapshot',
    topic: topicKey({ kind: 'level', sku: level.sku, locationId: level.locationId }),
    sku: level.sku,
    locationId: level.locationId,
    level: levelFigures(level),
    ...withId(id),
  };
}

/**
 * One page of a location's snapshot: its levels, by SKU, every bucket; `more` when another page follows.
 */
export function locationSnapshot(
  locationId: LocationId,
  levels: readonly StockLevel[],
  more: boolean,
  id?: string,
): SnapshotMessage {
  return {
    type: 'snapshot',
    topic: topicKey({ kind: 'location', locationId }),
    locationId,
    levels: levels.map((l) => ({ sku: l.sku, level: levelFigures(l) })),
    more,
    ...withId(id),
  };
}

/**
 * The delta of a changed level for one topic: `available` only for a SKU's topic, every bucket for the level's
 * and the location's (the same message but for its `topic`; `sku` tells a location's levels apart).
 */
export function deltaFor(topic: Topic, level: StockLevel): DeltaMessage {
  const common = {
    type: 'delta',
    topic: topicKey(topic),
    sku: level.sku,
    locationId: level.locationId,
  } as const;
  return topic.kind === 'sku'
    ? { ...common, available: level.available, version: level.version }
    : { ...common, level: levelFigures(level) };
}

export function errorMessage(
  code: ErrorCode,
  message: string,
  extra: { field?: string; topic?: string; id?: string | undefined } = {},
): ErrorMessage {
  const { id, ...rest } = extra;
  return { type: 'error', code, message, ...rest, ...withId(id) };
}

/**
 * A client's message parsed, or the error to answer: the field at fault for a malformed one, the actions for an
 * unknown one. Never throws.
 */
export function parseClientMessage(body: string | undefined | null): ClientMessage | ErrorMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(body ?? '');
  } catch {
    return errorMessage(
      'bad-request',
      'a message is a JSON object such as {"action":"subscribe","sku":"..."}',
    );
  }
  const action = typeof raw === 'object' && raw !== null ? (raw as { action?: unknown }).action : undefined;
  if (!(ACTIONS as readonly unknown[]).includes(action)) {
    return errorMessage('unknown-action', `action must be one of: ${ACTIONS.join(', ')}`, {
      field: 'action',
    });
  }
  const parsed = clientMessageSchema.safeParse(raw);
  const rawId = (raw as { id?: unknown }).id;
  const id = typeof rawId === 'string' && rawId.length <= 64 ? { id: rawId } : {};
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    return errorMessage('bad-request', `${field} ${issue?.message ?? 'is invalid'}`, { field, ...id });
  }
  const message = parsed.data;
  if (message.action === 'ping') return message;
  if (message.topic !== undefined && (message.sku !== undefined || message.locationId !== undefined))
    return errorMessage(
      'bad-request',
      'topic names the topic alone: give either topic, or sku (and locationId)',
      {
        field: 'topic',
        ...id,
      },
    );
  if (message.topic === undefined && message.sku === undefined)
    return errorMessage('bad-request', 'sku is required (or topic, such as location:{locationId})', {
      field: 'sku',
      ...id,
    });
  return message;
}

export const isErrorMessage = (m: ClientMessage | ErrorMessage): m is ErrorMessage =>
  (m as ErrorMessage).type === 'error';
