import type { AlertObservation, LevelAlert, ThresholdEvent } from '../../alerts/domain/level-alert.js';
import type {
  AllocationStrategyName,
  Cart,
  CartFailure,
  CartStatus,
  PlannedHold,
} from '../../carts/domain/cart.js';
import type { Reservation, ReservationStatus } from '../../holds/domain/reservation.js';
import type { CartId, LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';
import type { Location } from '../../locations/domain/location.js';
import {
  type ReplenishmentRequest,
  type ReplenishmentStatus,
  type ReplenishmentTrigger,
  stateOf,
} from '../../replenishment/domain/replenishment.js';
import type { LevelShard } from '../../stock/domain/level-shard.js';
import type { Movement, MovementReference, MovementType, TransferLink } from '../../stock/domain/movement.js';
import type { ShardPart } from '../../stock/domain/sharding.js';
import {
  addBuckets,
  type BucketDelta,
  type Buckets,
  COUNTED_BUCKETS,
  EMPTY_BUCKETS,
  type StockLevel,
} from '../../stock/domain/stock-level.js';
import type { IndexedHold } from './commands.js';
import {
  cartKey,
  closedReplenishmentKey,
  type Key,
  levelAlertKey,
  locationKey,
  movementKey,
  openReplenishmentKey,
  REPLENISHMENT_LISTS,
  reservationKey,
} from './keys.js';
import { cartListingKeys, lowStockListingKeys, reservationListingKeys } from './listing-keys.js';

/** Item shapes of docs/data-model.md, and their conversion to domain objects. */
export type Item = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function partsOf(item: Item): ShardPart[] {
  const parts = item.parts;
  if (!Array.isArray(parts)) return [{ shard: 0, quantity: num(item.quantity) }];
  return parts.map((p: { shard?: unknown; quantity?: unknown }) => ({
    shard: num(p.shard),
    quantity: num(p.quantity),
  }));
}

export function toLevelShard(item: Item): LevelShard {
  const buckets = Object.fromEntries(COUNTED_BUCKETS.map((b) => [b, num(item[b])])) as unknown as Buckets;
  return {
    ...buckets,
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    shard: num(item.shard),
    shardCount: typeof item.shardCount === 'number' ? item.shardCount : 1,
    shardSpan:
      typeof item.shardSpan === 'number'
        ? item.shardSpan
        : typeof item.shardCount === 'number'
          ? item.shardCount
          : 1,
    available: num(item.available),
    version: num(item.version),
    updatedAt: item.updatedAt as string | undefined,
    reorderPoint: (item.reorderPoint as number | undefined) ?? null,
    reorderQuantity: (item.reorderQuantity as number | undefined) ?? null,
  };
}

/** A level is the sum of its shards; the policy lives on shard 0. */
export function toStockLevel(shards: readonly LevelShard[]): StockLevel {
  const first = shards.find((s) => s.shard === 0) ?? shards[0];
  if (!first) throw new Error('a level needs at least one shard');
  let buckets: Buckets = EMPTY_BUCKETS;
  let available = 0;
  let version = 0;
  let updatedAt: string | null = null;
  for (const s of shards) {
    buckets = addBuckets(buckets, s);
    available += s.available;
    version += s.version;
    if (s.updatedAt && (updatedAt === null || s.updatedAt > updatedAt)) updatedAt = s.updatedAt;
  }
  return {
    ...buckets,
    sku: first.sku,
    locationId: first.locationId,
    available,
    version,
    shards: first.shardCount,
    policy: { reorderPoint: first.reorderPoint ?? null, reorderQuantity: first.reorderQuantity ?? null },
    updatedAt,
  };
}

export function movementItem(m: Movement): Item & Key {
  return {
    ...movementKey(m.sku, m.locationId, m.shard, m.movementId),
    kind: 'Movement',
    movementId: m.movementId,
    sku: m.sku,
    locationId: m.locationId,
    shard: m.shard,
    type: m.type,
    delta: m.delta,
    reason: m.reason ?? undefined,
    reference: m.reference ?? undefined,
    reservationId: m.reservationId ?? undefined,
    actor: m.actor,
    at: m.at,
    transfer: m.transfer ?? undefined,
  };
}

export function toMovement(item: Item): Movement {
  return {
    movementId: item.movementId as string,
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    shard: num(item.shard),
    type: item.type as MovementType,
    delta: (item.delta as BucketDelta | undefined) ?? {},
    reason: (item.reason as string | undefined) ?? null,
    reference: (item.reference as MovementReference | undefined) ?? null,
    reservationId: (item.reservationId as ReservationId | undefined) ?? null,
    actor: item.actor as PrincipalId,
    at: item.at as string,
    ...(item.transfer ? { transfer: item.transfer as TransferLink } : {}),
  };
}

export function reservationItem(r: Reservation): Item & Key {
  return {
    ...reservationKey(r.reservationId),
    kind: 'Reservation',
    reservationId: r.reservationId,
    sku: r.sku,
    locationId: r.locationId,
    parts: r.parts,
    quantity: r.quantity,
    ownerId: r.ownerId,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    expiresAt: r.expiresAt,
    maxExpiresAt: r.maxExpiresAt,
    reference: r.reference ?? undefined,
    resolvedAt: r.resolvedAt ?? undefined,
    countedHold: r.countedHold || undefined,
    ...reservationListingKeys(r),
  };
}

export function toReservation(item: Item): Reservation {
  return {
    reservationId: item.reservationId as ReservationId,
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    parts: partsOf(item),
    quantity: num(item.quantity),
    ownerId: item.ownerId as PrincipalId,
    status: item.status as ReservationStatus,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    expiresAt: num(item.expiresAt),
    maxExpiresAt: num(item.maxExpiresAt),
    reference: (item.reference as string | undefined) ?? null,
    resolvedAt: (item.resolvedAt as string | undefined) ?? null,
    countedHold: item.countedHold === true,
  };
}

/** A live hold as a sparse hold index projects it: the reservation's mapping, narrowed to the index's attributes. */
export function toIndexedHold(item: Item): IndexedHold {
  const { reservationId, sku, locationId, parts, quantity, ownerId, countedHold, expiresAt } =
    toReservation(item);
  return { reservationId, sku, locationId, parts, quantity, ownerId, countedHold, expiresAt };
}

export function locationItem(l: Location): Item & Key {
  return {
    ...locationKey(l.locationId),
    kind: 'Location',
    locationId: l.locationId,
    name: l.name,
    region: l.region,
    priority: l.priority,
    latitude: l.coordinates?.latitude,
    longitude: l.coordinates?.longitude,
    ownerId: l.ownerId,
    active: l.active,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
    version: l.version,
  };
}

export function toLocation(item: Item): Location {
  const lat = item.latitude;
  const lon = item.longitude;
  return {
    locationId: item.locationId as LocationId,
    name: item.name as string,
    region: item.region as string,
    priority: num(item.priority),
    coordinates:
      typeof lat === 'number' && typeof lon === 'number' ? { latitude: lat, longitude: lon } : null,
    ownerId: item.ownerId as PrincipalId,
    active: item.active === true,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: num(item.version),
  };
}

export function cartItem(cart: Cart, extra: { requestHash: string; ttl: number }): Item & Key {
  return {
    ...cartKey(cart.ownerId, cart.cartId),
    kind: 'Cart',
    cartId: cart.cartId,
    ownerId: cart.ownerId,
    status: cart.status,
    strategy: cart.strategy,
    lines: cart.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      locationId: l.locationId ?? undefined,
    })),
    holds: cart.holds,
    expiresAt: cart.expiresAt,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
    failure: cart.failure ?? undefined,
    requestHash: extra.requestHash,
    ttl: extra.ttl,
    ...cartListingKeys(cart),
  };
}

export function toCart(item: Item): Cart {
  const lines = Array.isArray(item.lines) ? (item.lines as Array<Record<string, unknown>>) : [];
  return {
    cartId: item.cartId as CartId,
    ownerId: item.ownerId as PrincipalId,
    status: item.status as CartStatus,
    strategy: item.strategy as AllocationStrategyName,
    lines: lines.map((l) => ({
      sku: l.sku as Sku,
      quantity: num(l.quantity),
      locationId: (l.locationId as LocationId | undefined) ?? null,
    })),
    holds: (Array.isArray(item.holds) ? item.holds : []) as PlannedHold[],
    expiresAt: num(item.expiresAt),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    failure: (item.failure as CartFailure | undefined) ?? null,
  };
}

/** The item of a replenishment request: the open one at its level's fixed key, a closed one at its own key. */
export function replenishmentItem(r: ReplenishmentRequest): Item & Key {
  const key =
    r.status === 'OPEN'
      ? openReplenishmentKey(r.sku, r.locationId)
      : closedReplenishmentKey(r.sku, r.locationId, r.requestId);
  return {
    ...key,
    kind: 'Replenishment',
    requestId: r.requestId,
    // Listed through the `expiry` index (see REPLENISHMENT_LISTS): by opening time while open, closing time after.
    expiryBucket: REPLENISHMENT_LISTS[stateOf(r.status)],
    expiresAt: Date.parse(r.closedAt ?? r.createdAt),
    sku: r.sku,
    locationId: r.locationId,
    quantity: r.quantity,
    receivedQuantity: r.receivedQuantity,
    status: r.status,
    trigger: r.trigger,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt ?? undefined,
    closedBy: r.closedBy ?? undefined,
    reason: r.reason ?? undefined,
  };
}

export function toReplenishment(item: Item): ReplenishmentRequest {
  const trigger = (item.trigger ?? {}) as Partial<ReplenishmentTrigger>;
  return {
    requestId: item.requestId as string,
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    quantity: num(item.quantity),
    receivedQuantity: num(item.receivedQuantity),
    status: item.status as ReplenishmentStatus,
    trigger: {
      eventId: String(trigger.eventId ?? ''),
      movementId: String(trigger.movementId ?? ''),
      available: num(trigger.available),
      reorderPoint: num(trigger.reorderPoint),
    },
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    closedAt: (item.closedAt as string | undefined) ?? null,
    closedBy: (item.closedBy as PrincipalId | undefined) ?? null,
    reason: (item.reason as string | undefined) ?? null,
  };
}

/** The alert item of a level: its last observation that changed its state, and the events that change emits. */
export function levelAlertItem(observation: AlertObservation, events: readonly ThresholdEvent[]): Item & Key {
  return {
    ...levelAlertKey(observation.sku, observation.locationId),
    kind: 'LevelAlert',
    sku: observation.sku,
    locationId: observation.locationId,
    observedVersion: observation.version,
    shardVersions: observation.shardVersions,
    low: observation.low,
    out: observation.out,
    available: observation.available,
    reorderPoint: observation.reorderPoint,
    reorderQuantity: observation.reorderQuantity,
    movementId: observation.movementId,
    at: observation.at,
    events: [...events],
    ...lowStockListingKeys(observation),
  };
}

function shardVersionsOf(value: unknown): Record<number, number> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([shard, version]) => [Number(shard), num(version)]),
  );
}

export function toLevelAlert(item: Item): LevelAlert {
  const nullableNumber = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    version: num(item.observedVersion),
    shardVersions: shardVersionsOf(item.shardVersions),
    low: item.low === true,
    out: item.out === true,
    available: num(item.available),
    reorderPoint: nullableNumber(item.reorderPoint),
    reorderQuantity: nullableNumber(item.reorderQuantity),
    movementId: String(item.movementId ?? ''),
    at: String(item.at ?? ''),
    events: Array.isArray(item.events) ? (item.events as ThresholdEvent[]) : [],
  };
}
