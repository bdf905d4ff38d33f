import type { Cart } from '../../carts/domain/cart.js';
import type { Reservation } from '../../holds/domain/reservation.js';
import type { LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';

/** One row of a listing index, in index order, with its item read by key (null if it vanished meanwhile). */
export interface Listed<T> {
  /** The row's position in the listing: what a cursor resumes after. */
  readonly sortKey: string;
  readonly item: T | null;
}

export interface Listing<T> {
  readonly rows: readonly Listed<T>[];
  /** Whether the index may hold rows after the last one. */
  readonly more: boolean;
}

/** Ascending by sort key, within a prefix, after a position (exclusive). */
export interface AscendingFrom {
  readonly prefix: string;
  readonly after: string | null;
  readonly limit: number;
}

/** Newest first, before a position (exclusive). */
export interface DescendingFrom {
  readonly before: string | null;
  readonly limit: number;
}

/** A SKU the service knows: the locations that have a level of it, when it was first seen. */
export interface CatalogueEntry {
  readonly sku: Sku;
  /** When its first level was created (null for levels created before the listing indexes). */
  readonly firstSeen: string | null;
  readonly levels: readonly StockLevel[];
}

/**
 * The read side's listings (docs/data-model.md, "Listing indexes"): each a Query on `list1` or `list2`, then the
 * page's items read by key (strongly consistent), so that what a listing shows is never staler than the index.
 */
export interface ListingStore {
  /** Levels at a location, by SKU. */
  levelsAt(locationId: LocationId, from: AscendingFrom): Promise<Listing<StockLevel>>;
  /** Levels at a location whose recorded alert state is low or out, by SKU. */
  lowStockAt(locationId: LocationId, from: AscendingFrom): Promise<Listing<StockLevel>>;
  /** SKUs with at least one level, by SKU (the sort key of a row is the SKU). */
  skuCatalogue(from: AscendingFrom): Promise<Listing<CatalogueEntry>>;
  /** A caller's reservations, newest first. */
  reservationsOfOwner(ownerId: PrincipalId, from: DescendingFrom): Promise<Listing<Reservation>>;
  /** A level's reservations, newest first, over its `shardSpan` shards. */
  reservationsOfLevel(
    sku: Sku,
    locationId: LocationId,
    shardSpan: number,
    from: DescendingFrom,
  ): Promise<Listing<Reservation>>;
  /** A caller's carts, newest first. */
  cartsOfOwner(ownerId: PrincipalId, from: DescendingFrom): Promise<Listing<Cart>>;
}
