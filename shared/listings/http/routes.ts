import { defineRoute } from '../../platform/http/route.js';
import {
  cartPageSchema,
  cartsQuery,
  levelPageSchema,
  locationLevelsPath,
  locationLevelsQuery,
  lowStockQuery,
  reservationPageSchema,
  reservationsQuery,
  skuPageSchema,
  skusQuery,
} from './schemas.js';

/**
 * Listings come from the eventually consistent listing indexes (docs/data-model.md): a cache may keep one a few
 * seconds, and must then ask again (a matching ETag makes that a 304).
 */
export const LISTING_CACHE_CONTROL = 'private, max-age=5, must-revalidate';

const listing = {
  auth: 'jwt',
  tag: 'Listings',
  tableAccess: 'read',
  idempotencyKey: false,
  cacheControl: LISTING_CACHE_CONTROL,
} as const;

export const listLocationLevels = defineRoute({
  ...listing,
  operationId: 'listLocationLevels',
  method: 'GET',
  path: '/locations/{locationId}/levels',
  handler: 'functions/list-location-levels.ts',
  summary: 'Every level at a location, by SKU, filtered and paged',
  roles: ['warehouse', 'admin'],
  scope: 'location',
  indexes: ['list1', 'levelHolds'],
  request: { path: locationLevelsPath, query: locationLevelsQuery },
  success: {
    status: 200,
    description:
      'Levels (as readLevel shows one), sorted by SKU. A page may hold fewer than `limit` (even none) when a filter leaves rows out; only a null `nextCursor` ends the listing.',
    schema: levelPageSchema,
  },
  problems: ['not-found'],
});

export const listSkus = defineRoute({
  ...listing,
  operationId: 'listSkus',
  method: 'GET',
  path: '/skus',
  handler: 'functions/list-skus.ts',
  summary: 'The SKU catalogue: every SKU with a level somewhere, by SKU',
  roles: ['storefront', 'warehouse', 'admin'],
  scope: 'none',
  indexes: ['list2'],
  request: { query: skusQuery },
  success: {
    status: 200,
    description:
      'SKUs, sorted, with when each was first seen, the locations stocking it and its available units.',
    schema: skuPageSchema,
  },
  problems: [],
});

export const listReservations = defineRoute({
  ...listing,
  operationId: 'listReservations',
  method: 'GET',
  path: '/reservations',
  handler: 'functions/list-reservations.ts',
  summary: "The caller's reservations, newest first (admins: an owner's, or a level's)",
  roles: ['storefront', 'admin'],
  scope: 'none',
  indexes: ['list1', 'list2'],
  request: { query: reservationsQuery },
  success: {
    status: 200,
    description:
      'Reservations, newest first. A page may hold fewer than `limit` when `status` leaves rows out; only a null `nextCursor` ends the listing.',
    schema: reservationPageSchema,
  },
  problems: ['not-found', 'unknown-sku'],
});

export const listCarts = defineRoute({
  ...listing,
  operationId: 'listCarts',
  method: 'GET',
  path: '/carts',
  handler: 'functions/list-carts.ts',
  summary: "The caller's carts, newest first (admins: an owner's)",
  roles: ['storefront', 'admin'],
  scope: 'none',
  indexes: ['list1'],
  request: { query: cartsQuery },
  success: {
    status: 200,
    description: 'Carts with the status of each hold, newest first.',
    schema: cartPageSchema,
  },
  problems: [],
});

export const reportLowStock = defineRoute({
  ...listing,
  operationId: 'reportLowStock',
  method: 'GET',
  path: '/reports/low-stock',
  handler: 'functions/report-low-stock.ts',
  summary: 'Every level below its reorder point or out of stock (a warehouse: at its locations)',
  roles: ['warehouse', 'admin'],
  scope: 'none',
  indexes: ['list1'],
  request: { query: lowStockQuery },
  success: {
    status: 200,
    description:
      'Levels, by location then SKU, with their current figures. The list follows the stream (a level that just crossed its reorder point appears within seconds).',
    schema: levelPageSchema,
  },
  problems: [],
});
