import type * as z from 'zod';
import type { CartView } from '../../carts/use-cases/carts.js';
import type { Reservation } from '../../holds/domain/reservation.js';
import { cartBody, levelBody, reservationBody } from '../../platform/http/representations.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';
import type { LevelView } from '../../stock/use-cases/reads.js';
import type { CatalogueEntry } from '../store/listing-store.js';
import type { Page } from '../use-cases/listings.js';
import type {
  cartPageSchema,
  catalogueEntrySchema,
  levelPageSchema,
  reservationPageSchema,
  skuPageSchema,
} from './schemas.js';

type Json<S extends z.ZodType> = z.input<S>;

export function levelPageBody(page: Page<StockLevel | LevelView>): Json<typeof levelPageSchema> {
  return { levels: page.items.map(levelBody), nextCursor: page.nextCursor };
}

/** What anyone may know of a SKU: what can be sold where, and since when it exists (as availability shows it). */
export function catalogueEntryBody(entry: CatalogueEntry): Json<typeof catalogueEntrySchema> {
  return {
    sku: entry.sku,
    firstSeen: entry.firstSeen,
    available: entry.levels.reduce((sum, l) => sum + l.available, 0),
    locations: entry.levels.map((l) => ({ locationId: l.locationId, available: l.available })),
  };
}

export function skuPageBody(page: Page<CatalogueEntry>): Json<typeof skuPageSchema> {
  return { skus: page.items.map(catalogueEntryBody), nextCursor: page.nextCursor };
}

export function reservationPageBody(page: Page<Reservation>): Json<typeof reservationPageSchema> {
  return { reservations: page.items.map(reservationBody), nextCursor: page.nextCursor };
}

export function cartPageBody(page: Page<CartView>): Json<typeof cartPageSchema> {
  return { carts: page.items.map(cartBody), nextCursor: page.nextCursor };
}
