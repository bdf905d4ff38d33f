import { bucketOf } from '../../kernel/fingerprint.js';
import type { CartId, LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';

/**
 * The listing indexes `list1` and `list2` (docs/data-model.md, "Listing indexes"): overloaded, keys only, every key
 * set once when its item is created. Identifiers never contain `#`, and `#` sorts before every character they may
 * hold, so `{sku}#...` rows of one SKU are contiguous and come before those of any longer SKU.
 */
export const LIST1 = { index: 'list1', pk: 'list1pk', sk: 'list1sk' } as const;
export const LIST2 = { index: 'list2', pk: 'list2pk', sk: 'list2sk' } as const;
export type ListIndex = typeof LIST1 | typeof LIST2;

/** Above every character an identifier may hold: `prefix + HIGH` ends a prefix range. */
export const HIGH = '~';

export const levelsAtPartition = (locationId: LocationId): string => `LEVELS#${locationId}`;
export const SKU_CATALOGUE_PARTITION = 'SKUS';
export const lowStockPartition = (locationId: LocationId): string => `LOW#${locationId}`;
export const ownerCartsPartition = (ownerId: PrincipalId): string => `CARTS#${ownerId}`;

/** A caller's reservations are spread over this many partitions, so that one busy storefront is no hot spot. */
export const OWNER_RESERVATION_BUCKETS = 8;
export const ownerReservationsPartitions = (ownerId: PrincipalId): string[] =>
  Array.from({ length: OWNER_RESERVATION_BUCKETS }, (_, n) => `RESERVATIONS#${ownerId}#${n}`);
/** By level and shard, as `holdLevel`: a sharded hot level spreads these index writes like its counter writes. */
export const levelReservationsPartition = (sku: Sku, locationId: LocationId, shard: number): string =>
  `RESERVATIONS#${sku}#${locationId}#${shard}`;

/** Newest-first sort key of a reservation or a cart: its creation time, then its id (unique). */
export const createdSortKey = (createdAt: string, id: string): string => `${createdAt}#${id}`;
export const idOfCreatedSortKey = (sortKey: string): string => sortKey.slice(sortKey.lastIndexOf('#') + 1);

/** The listing keys of a level's shard 0, set when the level is created. */
export const levelListingKeys = (sku: Sku, locationId: LocationId) => ({
  [LIST1.pk]: levelsAtPartition(locationId),
  [LIST1.sk]: sku,
  [LIST2.pk]: SKU_CATALOGUE_PARTITION,
  [LIST2.sk]: `${sku}#${locationId}`,
});

export const reservationListingKeys = (r: {
  readonly reservationId: ReservationId;
  readonly ownerId: PrincipalId;
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly createdAt: string;
  readonly parts: readonly { readonly shard: number }[];
}) => ({
  [LIST1.pk]: `RESERVATIONS#${r.ownerId}#${bucketOf(r.reservationId, OWNER_RESERVATION_BUCKETS)}`,
  [LIST1.sk]: createdSortKey(r.createdAt, r.reservationId),
  [LIST2.pk]: levelReservationsPartition(r.sku, r.locationId, r.parts[0]?.shard ?? 0),
  [LIST2.sk]: createdSortKey(r.createdAt, r.reservationId),
});

export const cartListingKeys = (c: {
  readonly ownerId: PrincipalId;
  readonly cartId: CartId;
  readonly createdAt: string;
}) => ({
  [LIST1.pk]: ownerCartsPartition(c.ownerId),
  [LIST1.sk]: createdSortKey(c.createdAt, c.cartId),
});

/** Sparse: only a level that is low or out has a row in the low-stock listing. */
export const lowStockListingKeys = (a: {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly low: boolean;
  readonly out: boolean;
}) => (a.low || a.out ? { [LIST1.pk]: lowStockPartition(a.locationId), [LIST1.sk]: a.sku } : {});
