import { bucketOf } from '../../kernel/fingerprint.js';
import type { LocationId, ReservationId, Sku } from '../../kernel/identifiers.js';
import { EXPIRY_BUCKETS } from './table-definition.js';

/** Key shapes of docs/data-model.md. Identifiers never contain `#`. */
export interface Key {
  readonly pk: string;
  readonly sk: string;
}

/** Every level shard's partition key starts with this. */
export const SKU_KEY_PREFIX = 'SKU#';
/** The partition of every level's shard 0 of a SKU: one query finds the SKU at every location. */
export const skuPartition = (sku: Sku): string => `${SKU_KEY_PREFIX}${sku}`;
export const LEVEL_PREFIX = 'LEVEL#';
export const levelPrefix = (locationId: LocationId): string => `${LEVEL_PREFIX}${locationId}#`;

/**
 * The partition of a level shard: shard 0 in the SKU's partition (it carries the shard map), every other shard in
 * a partition of its own, `SKU#{sku}#{locationId}#{shard}`, so that a sharded level's shards never share a
 * partition's throughput, cold or hot (ADR 34).
 */
export const levelShardPartition = (sku: Sku, locationId: LocationId, shard: number): string =>
  shard === 0 ? skuPartition(sku) : `${skuPartition(sku)}#${locationId}#${shard}`;

export const levelKey = (sku: Sku, locationId: LocationId, shard: number): Key => ({
  pk: levelShardPartition(sku, locationId, shard),
  sk: `${levelPrefix(locationId)}${shard}`,
});

/** Every key of the registry of sharded levels starts with this. */
export const SHARD_REGISTRY_KEY_PREFIX = 'SHARDED#';
/** A bucket of the registry of sharded levels (ADR 43). */
export const shardRegistryKey = (bucket: number): Key => ({
  pk: `${SHARD_REGISTRY_KEY_PREFIX}${bucket}`,
  sk: 'SHARDED',
});

export const ledgerPartition = (sku: Sku, locationId: LocationId, shard: number): string =>
  `LEDGER#${sku}#${locationId}#${shard}`;

export const movementKey = (sku: Sku, locationId: LocationId, shard: number, movementId: string): Key => ({
  pk: ledgerPartition(sku, locationId, shard),
  sk: movementId,
});

export const reservationKey = (reservationId: ReservationId): Key => ({
  pk: `RESERVATION#${reservationId}`,
  sk: 'RESERVATION',
});

export const idempotencyKey = (hashedKey: string): Key => ({
  pk: `IDEMPOTENCY#${hashedKey}`,
  sk: 'IDEMPOTENCY',
});

/** Counts a caller's live holds, for the optional cap on active holds per caller. */
export const holderKey = (ownerId: string): Key => ({ pk: `HOLDER#${ownerId}`, sk: 'HOLDER' });

/** A cart, scoped to its owner: two callers may use the same cart id. */
export const cartKey = (ownerId: string, cartId: string): Key => ({
  pk: `CART#${ownerId}#${cartId}`,
  sk: 'CART',
});

/**
 * Replenishment requests of a level: the open one at the fixed sort key `OPEN` (so that at most one is open:
 * it is created with `attribute_not_exists`), closed ones at `REQUEST#{requestId}`.
 */
export const replenishmentPartition = (sku: Sku, locationId: LocationId): string =>
  `REPLENISHMENT#${sku}#${locationId}`;
export const OPEN_REPLENISHMENT_SK = 'OPEN';
export const CLOSED_REPLENISHMENT_PREFIX = 'REQUEST#';
export const openReplenishmentKey = (sku: Sku, locationId: LocationId): Key => ({
  pk: replenishmentPartition(sku, locationId),
  sk: OPEN_REPLENISHMENT_SK,
});
export const closedReplenishmentKey = (sku: Sku, locationId: LocationId, requestId: string): Key => ({
  pk: replenishmentPartition(sku, locationId),
  sk: `${CLOSED_REPLENISHMENT_PREFIX}${requestId}`,
});

/**
 * The `expiry` index also lists replenishment requests, under these partition values (never an `EXPIRY#{n}` of a
 * hold), sorted by `expiresAt` = when the request was opened (open) or closed (closed), epoch milliseconds.
 */
export const REPLENISHMENT_LISTS = { OPEN: 'REPLENISHMENT#OPEN', CLOSED: 'REPLENISHMENT#CLOSED' } as const;

/**
 * A cart whose saga or release is in flight (PENDING, COMPENSATING, RELEASING) is listed in the `expiry` index
 * under one of these partition values (never an `EXPIRY#{n}` of a hold), sorted by the cart's `expiresAt`, so
 * that the stuck-cart recovery finds it without a scan (ADR 15). The key is removed when the cart settles.
 */
export const IN_FLIGHT_CART_BUCKETS = 8;
export const inFlightCartBucket = (ownerId: string, cartId: string): string =>
  `CART#IN-FLIGHT#${bucketOf(cartKey(ownerId, cartId).pk, IN_FLIGHT_CART_BUCKETS)}`;
export const inFlightCartBuckets = (): string[] =>
  Array.from({ length: IN_FLIGHT_CART_BUCKETS }, (_, n) => `CART#IN-FLIGHT#${n}`);
/** The owner and id of a cart from its partition key `CART#{ownerId}#{cartId}` (identifiers hold no `#`). */
export function cartOfKey(pk: string): { ownerId: string; cartId: string } | null {
  const [prefix, ownerId, cartId, ...rest] = pk.split('#');
  return prefix === 'CART' && ownerId && cartId && rest.length === 0 ? { ownerId, cartId } : null;
}

/** The alert state of a level (low, out), written when a stream observation changes it. */
export const levelAlertKey = (sku: Sku, locationId: LocationId): Key => ({
  pk: `ALERT#${sku}#${locationId}`,
  sk: 'ALERT',
});

export const LOCATIONS_PARTITION = 'LOCATIONS';
export const locationKey = (locationId: LocationId): Key => ({ pk: LOCATIONS_PARTITION, sk: locationId });

export const expiryBucket = (reservationId: ReservationId): string =>
  `EXPIRY#${bucketOf(reservationId, EXPIRY_BUCKETS)}`;
export const expiryBuckets = (): string[] => Array.from({ length: EXPIRY_BUCKETS }, (_, n) => `EXPIRY#${n}`);
/**
 * The `levelHolds` index partition of a hold: per level shard (the hold's first part), so that a sharded hot
 * level spreads its index writes as it spreads its counter writes.
 */
export const holdLevel = (sku: Sku, locationId: LocationId, shard: number): string =>
  `${sku}#${locationId}#${shard}`;

/**
 * Reconciliation's checkpoint of a level shard (ADR 32), in one of a few directory partitions, so that the run lists
 * every known level shard with a few queries instead of a scan of the table.
 */
export const CHECKPOINT_DIRECTORY_PARTITIONS = 8;
/** Every key reconciliation writes starts with this (its IAM grant is limited to it). */
export const RECONCILE_KEY_PREFIX = 'RECONCILE#';
export const checkpointPartition = (n: number): string => `${RECONCILE_KEY_PREFIX}${n}`;
export const checkpointKey = (sku: Sku, locationId: LocationId, shard: number): Key => ({
  pk: checkpointPartition(bucketOf(`${sku}#${locationId}`, CHECKPOINT_DIRECTORY_PARTITIONS)),
  sk: `${sku}#${locationId}#${shard}`,
});
/** Where the discovery scan of reconciliation resumes. */
export const RECONCILE_SWEEP_KEY: Key = { pk: `${RECONCILE_KEY_PREFIX}SWEEP`, sk: 'SWEEP' };
