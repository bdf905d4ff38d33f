import type { RouteDefinition } from './route.js';
import { readAvailability, readAvailabilityBatch } from './routes/availability.js';
import { confirmCart, getCart, releaseCart, reserveCart } from './routes/carts.js';
import { createLocation, getLocation, listLocations, updateLocation } from './routes/locations.js';
import { getOpenApi } from './routes/meta.js';
import {
  cancelReplenishment,
  getReplenishment,
  listReplenishments,
  receiveReplenishment,
  setReplenishmentPolicy,
} from './routes/replenishment.js';
import {
  cancelReservation,
  confirmReservation,
  extendReservation,
  fulfillReservation,
  getReservation,
  releaseReservation,
  reserveStock,
} from './routes/reservations.js';
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
} from './routes/stock.js';

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
];
