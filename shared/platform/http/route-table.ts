import { readLocationAnalytics, readRegionAnalytics } from '../../analytics/http/routes.js';
import { applyStockBatch } from '../../bulk/http/routes.js';
import { confirmCart, getCart, releaseCart, reserveCart } from '../../carts/http/routes.js';
import { listChanges } from '../../changes/http/routes.js';
import {
  cancelReservation,
  confirmReservation,
  extendReservation,
  fulfillReservation,
  getReservation,
  releaseReservation,
  reserveStock,
} from '../../holds/http/routes.js';
import {
  listCarts,
  listLocationLevels,
  listReservations,
  listSkus,
  reportLowStock,
} from '../../listings/http/routes.js';
import { createLocation, getLocation, listLocations, updateLocation } from '../../locations/http/routes.js';
import {
  cancelReplenishment,
  getReplenishment,
  listReplenishments,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../replenishment/http/routes.js';
import { readAvailability, readAvailabilityBatch } from '../../stock/http/availability-routes.js';
import {
  adjustStock,
  blockStock,
  countStock,
  listMovements,
  readLevel,
  receiveStock,
  shardLevel,
  transferStock,
  unblockStock,
} from '../../stock/http/routes.js';
import type { RouteDefinition } from './route.js';
import { getOpenApi } from './routes/meta.js';

/**
 * THE route table: one entry per route (method, path, handler file, roles, schemas). The CDK stack makes one
 * Lambda function and one HTTP API route per entry; the local runtime serves exactly these; the OpenAPI document
 * and the authorization tests are generated from them. Importing it has no side effect and creates no client.
 */
export const ROUTE_TABLE: readonly RouteDefinition[] = [
  getOpenApi,
  readAvailability,
  readAvailabilityBatch,
  readLevel,
  listMovements,
  receiveStock,
  adjustStock,
  countStock,
  blockStock,
  unblockStock,
  transferStock,
  shardLevel,
  setReplenishmentPolicy,
  listReplenishments,
  getReplenishment,
  receiveReplenishment,
  cancelReplenishment,
  reserveStock,
  getReservation,
  extendReservation,
  releaseReservation,
  confirmReservation,
  fulfillReservation,
  cancelReservation,
  reserveCart,
  getCart,
  confirmCart,
  releaseCart,
  listLocations,
  getLocation,
  createLocation,
  updateLocation,
  listLocationLevels,
  listSkus,
  listReservations,
  listCarts,
  reportLowStock,
  applyStockBatch,
  listChanges,
  readLocationAnalytics,
  readRegionAnalytics,
];
