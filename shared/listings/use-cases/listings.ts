import type { CartStatus } from '../../carts/domain/cart.js';
import { reportedCartStatus } from '../../carts/domain/cart.js';
import type { CartView } from '../../carts/use-cases/carts.js';
import type { Reservation, ReservationStatus } from '../../holds/domain/reservation.js';
import { expiredHeldOf } from '../../holds/use-cases/expiry.js';
import { NotFoundError, UnknownSkuError } from '../../kernel/errors.js';
import type { LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';
import type { LevelView } from '../../stock/use-cases/reads.js';
import { isLowOrOut, type LevelFilter, levelMatches } from '../domain/level-filters.js';
import { decodePageCursor, encodePageCursor } from '../domain/page-cursor.js';
import type { CatalogueEntry } from '../store/listing-store.js';
import { collect } from './collect.js';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export interface PageQuery {
  readonly limit: number;
  readonly cursor: string | null;
}

const positionOf = (cursor: string | null): string | null =>
  cursor === null ? null : decodePageCursor(cursor).after;
const cursorOf = (next: string | null): string | null =>
  next === null ? null : encodePageCursor({ after: next });

/**
 * Every level at a location, by SKU (the sum of its shards, as readLevel shows it).
 * 1. The location must exist (NotFoundError otherwise: an empty list would say "no stock here").
 * 2. Read the `LEVELS#{location}` rows after the cursor, within the SKU prefix, and their levels by key.
 * 3. Keep the levels that pass the filter, until the page is full (collect).
 * 4. For each level kept, count its expired-but-unreleased holds (as readLevel does).
 */
export async function listLevelsAt(
  deps: UseCaseDeps,
  locationId: LocationId,
  query: PageQuery & { readonly skuPrefix: string; readonly filter: LevelFilter | null },
): Promise<Page<LevelView>> {
  if (!(await deps.locations.getLocation(locationId))) throw new NotFoundError('location', locationId);
  const { items, next } = await collect(
    (after, limit) => deps.listings.levelsAt(locationId, { prefix: query.skuPrefix, after, limit }),
    positionOf(query.cursor),
    query.limit,
    (level) => levelMatches(query.filter, level),
  );
  const views = await Promise.all(
    items.map(async (level) => ({
      ...level,
      expiredHeld: await expiredHeldOf(deps, level.sku, level.locationId),
    })),
  );
  return { items: views, nextCursor: cursorOf(next) };
}

/**
 * The SKU catalogue, by SKU: each SKU that has a level somewhere, its locations and totals.
 * 1. Read the `SKUS` rows after the cursor, within the prefix, one SKU at a time.
 * 2. Read each SKU's levels from its own partition (one Query each), and when it was first seen.
 */
export async function listSkus(
  deps: UseCaseDeps,
  query: PageQuery & { readonly skuPrefix: string },
): Promise<Page<CatalogueEntry>> {
  const { items, next } = await collect(
    (after, limit) => deps.listings.skuCatalogue({ prefix: query.skuPrefix, after, limit }),
    positionOf(query.cursor),
    query.limit,
    () => true,
  );
  return { items, nextCursor: cursorOf(next) };
}

export type ReservationsOf =
  | { readonly ownerId: PrincipalId }
  | { readonly sku: Sku; readonly locationId: LocationId };

/**
 * Reservations, newest first: a caller's own, or (admins) an owner's or a level's.
 * 1. For a level: read its shard 0 for its shard span; no level is NotFoundError, no level of the SKU anywhere
 *    UnknownSkuError.
 * 2. Read the owner's (8 partitions) or the level's (one per shard) rows before the cursor, merged, and the
 *    reservations by key.
 * 3. Keep those in the asked status, until the page is full.
 */
export async function listReservations(
  deps: UseCaseDeps,
  of: ReservationsOf,
  query: PageQuery & { readonly status: ReservationStatus | null },
): Promise<Page<Reservation>> {
  let fetch: (before: string | null, limit: number) => ReturnType<typeof deps.listings.reservationsOfOwner>;
  if ('ownerId' in of) {
    fetch = (before, limit) => deps.listings.reservationsOfOwner(of.ownerId, { before, limit });
  } else {
    const first = await deps.levels.getLevelShard(of.sku, of.locationId, 0);
    if (!first) {
      if ((await deps.levels.getAvailability(of.sku)).length === 0) throw new UnknownSkuError(of.sku);
      throw new NotFoundError('level', `${of.sku}@${of.locationId}`);
    }
    fetch = (before, limit) =>
      deps.listings.reservationsOfLevel(of.sku, of.locationId, first.shardSpan, { before, limit });
  }
  const { items, next } = await collect(fetch, positionOf(query.cursor), query.limit, (r) =>
    query.status === null ? true : r.status === query.status,
  );
  return { items, nextCursor: cursorOf(next) };
}

/**
 * A caller's carts, newest first, each with the current state of its holds.
 * 1. Read the owner's cart rows before the cursor, and the carts by key.
 * 2. Keep those whose reported status (HELD past its expiry is EXPIRED) is the asked one, until the page is full.
 * 3. Read the holds of the carts kept (BatchGetItem).
 */
export async function listCarts(
  deps: UseCaseDeps,
  ownerId: PrincipalId,
  query: PageQuery & { readonly status: CartStatus | null },
): Promise<Page<CartView>> {
  const now = deps.clock.now();
  const { items, next } = await collect(
    (before, limit) => deps.listings.cartsOfOwner(ownerId, { before, limit }),
    positionOf(query.cursor),
    query.limit,
    (cart) => query.status === null || reportedCartStatus(cart, now) === query.status,
  );
  const holds = await deps.carts.getReservations(items.flatMap((c) => c.holds.map((h) => h.reservationId)));
  const byId = new Map(holds.map((r) => [r.reservationId, r]));
  const views = items.map((cart) => ({
    ...cart,
    status: reportedCartStatus(cart, now),
    reservations: cart.holds.flatMap((h) => byId.get(h.reservationId) ?? []),
  }));
  return { items: views, nextCursor: cursorOf(next) };
}

/**
 * The low-stock report: every level below its reorder point or out of stock, location by location (in the
 * order given), by SKU within a location.
 * 1. From the cursor's location and SKU, read the location's `LOW#` rows (levels whose recorded alert state is
 *    low or out; the stream's enrichment keeps them) and the levels by key.
 * 2. Keep those that are low or out now (the figures are read from the levels: a level that recovered since
 *    its alert state was recorded is left out), until the page is full; then go on to the next location.
 */
export async function lowStockReport(
  deps: UseCaseDeps,
  locations: readonly LocationId[],
  query: PageQuery,
): Promise<Page<StockLevel>> {
  const start = query.cursor === null ? null : decodePageCursor(query.cursor);
  const ordered = [...locations].sort();
  let index =
    start?.locationId === undefined ? 0 : ordered.findIndex((l) => l >= (start.locationId as string));
  if (index < 0) return { items: [], nextCursor: null };
  let after =
    start?.locationId !== undefined && ordered[index] === start.locationId && start.after !== ''
      ? start.after
      : null;
  const items: StockLevel[] = [];
  for (let rounds = 0; index < ordered.length && rounds < 10; rounds++) {
    const locationId = ordered[index] as LocationId;
    const page = await collect(
      (position, limit) => deps.listings.lowStockAt(locationId, { prefix: '', after: position, limit }),
      after,
      query.limit - items.length,
      isLowOrOut,
      1,
    );
    items.push(...page.items);
    if (page.next !== null) {
      after = page.next;
      if (items.length === query.limit) return { items, nextCursor: encodePageCursor({ after, locationId }) };
      continue;
    }
    index += 1;
    after = null;
  }
  const locationId = ordered[index];
  return {
    items,
    nextCursor: locationId === undefined ? null : encodePageCursor({ after: after ?? '', locationId }),
  };
}
