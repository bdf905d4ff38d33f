import type * as z from 'zod';
import type { cartSchema } from '../../carts/http/schemas.js';
import type { CartView } from '../../carts/use-cases/carts.js';
import type { Reservation } from '../../holds/domain/reservation.js';
import type { reservationSchema } from '../../holds/http/schemas.js';
import type { Location } from '../../locations/domain/location.js';
import type { locationSchema } from '../../locations/http/schemas.js';
import { outstandingOf, type ReplenishmentRequest } from '../../replenishment/domain/replenishment.js';
import type {
  replenishmentPageSchema,
  replenishmentReceiptSchema,
  replenishmentSchema,
} from '../../replenishment/http/schemas.js';
import type { ReplenishmentPage } from '../../replenishment/store/replenishment-store.js';
import type { ReplenishmentReceipt } from '../../replenishment/use-cases/replenishment.js';
import type { Movement } from '../../stock/domain/movement.js';
import { bucketFiguresOf, type StockLevel } from '../../stock/domain/stock-level.js';
import type { availabilitySchema } from '../../stock/http/availability-schemas.js';
import type {
  levelSchema,
  movementPageSchema,
  movementSchema,
  stockChangeSchema,
  transferResultSchema,
} from '../../stock/http/schemas.js';
import type { MovementPage } from '../../stock/store/ledger-store.js';
import type { Availability, LevelView } from '../../stock/use-cases/reads.js';
import type { RegionalAvailability } from '../../stock/use-cases/regional-availability.js';
import type { StockChangeResult, TransferResult } from '../../stock/use-cases/stock-operations.js';

/**
 * Domain objects as the API shows them: each function is typed by the response schema the OpenAPI document
 * publishes, so that the two cannot drift. Internal fields (shards, hold counters) stay inside.
 */
type Json<S extends z.ZodType> = z.input<S>;

export function levelBody(
  level: StockLevel & { readonly expiredHeld?: LevelView['expiredHeld'] },
): Json<typeof levelSchema> {
  return {
    sku: level.sku,
    locationId: level.locationId,
    ...bucketFiguresOf(level),
    version: level.version,
    reorderPoint: level.policy.reorderPoint,
    reorderQuantity: level.policy.reorderQuantity,
    shards: level.shards,
    ...(level.expiredHeld ? { expiredHeld: { ...level.expiredHeld } } : {}),
    updatedAt: level.updatedAt,
  };
}

export function stockChangeBody(result: StockChangeResult): Json<typeof stockChangeSchema> {
  return { movementIds: [...result.movementIds], level: levelBody(result.level) };
}

export function transferBody(result: TransferResult): Json<typeof transferResultSchema> {
  return { movementIds: [...result.movementIds], from: levelBody(result.from), to: levelBody(result.to) };
}

export function movementBody(m: Movement): Json<typeof movementSchema> {
  return {
    movementId: m.movementId,
    sku: m.sku,
    locationId: m.locationId,
    type: m.type,
    delta: { ...m.delta },
    reason: m.reason,
    reference: m.reference ? { type: m.reference.type, id: m.reference.id } : null,
    reservationId: m.reservationId,
    actor: m.actor,
    at: m.at,
  };
}

export function movementPageBody(page: MovementPage): Json<typeof movementPageSchema> {
  return { movements: page.movements.map(movementBody), nextCursor: page.nextCursor };
}

/** What a storefront may know of a SKU's stock: only what it can sell, per location (and per region). */
export function availabilityBody(
  availability: Availability & { readonly regions?: RegionalAvailability['regions'] },
): Json<typeof availabilitySchema> {
  return {
    sku: availability.sku,
    available: availability.available,
    locations: availability.locations.map((l) => ({ locationId: l.locationId, available: l.available })),
    ...(availability.regions
      ? {
          regions: availability.regions.map((r) => ({
            region: r.region,
            available: r.available,
            locations: [...r.locations],
          })),
        }
      : {}),
  };
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

export function reservationBody(r: Reservation): Json<typeof reservationSchema> {
  return {
    reservationId: r.reservationId,
    sku: r.sku,
    locationId: r.locationId,
    quantity: r.quantity,
    ownerId: r.ownerId,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    expiresAt: iso(r.expiresAt),
    maxExpiresAt: iso(r.maxExpiresAt),
    reference: r.reference,
    resolvedAt: r.resolvedAt,
  };
}

export function locationBody(l: Location): Json<typeof locationSchema> {
  return {
    locationId: l.locationId,
    name: l.name,
    region: l.region,
    priority: l.priority,
    coordinates: l.coordinates
      ? { latitude: l.coordinates.latitude, longitude: l.coordinates.longitude }
      : null,
    ownerId: l.ownerId,
    active: l.active,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
    version: l.version,
  };
}

/** A cart with each planned hold and its current status (null for a hold the saga never made). */
export function cartBody(cart: CartView): Json<typeof cartSchema> {
  const statuses = new Map(cart.reservations.map((r) => [r.reservationId, r.status]));
  return {
    cartId: cart.cartId,
    ownerId: cart.ownerId,
    status: cart.status,
    strategy: cart.strategy,
    lines: cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, locationId: l.locationId })),
    holds: cart.holds.map((h) => ({
      reservationId: h.reservationId,
      lineIndex: h.lineIndex,
      sku: h.sku,
      locationId: h.locationId,
      quantity: h.quantity,
      status: statuses.get(h.reservationId) ?? null,
    })),
    expiresAt: iso(cart.expiresAt),
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
    failure: cart.failure
      ? {
          code: cart.failure.code,
          detail: cart.failure.detail,
          lineIndex: cart.failure.lineIndex,
          sku: cart.failure.sku,
          locationId: cart.failure.locationId,
          available: cart.failure.available,
        }
      : null,
  };
}

export function replenishmentBody(r: ReplenishmentRequest): Json<typeof replenishmentSchema> {
  return {
    requestId: r.requestId,
    sku: r.sku,
    locationId: r.locationId,
    quantity: r.quantity,
    receivedQuantity: r.receivedQuantity,
    outstanding: r.status === 'OPEN' ? outstandingOf(r) : 0,
    status: r.status,
    trigger: {
      eventId: r.trigger.eventId,
      movementId: r.trigger.movementId,
      available: r.trigger.available,
      reorderPoint: r.trigger.reorderPoint,
    },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
    closedBy: r.closedBy,
    reason: r.reason,
  };
}

export function replenishmentPageBody(page: ReplenishmentPage): Json<typeof replenishmentPageSchema> {
  return { requests: page.requests.map(replenishmentBody), nextCursor: page.nextCursor };
}

export function replenishmentReceiptBody(
  receipt: ReplenishmentReceipt,
): Json<typeof replenishmentReceiptSchema> {
  return {
    movementIds: [...receipt.movementIds],
    request: replenishmentBody(receipt.request),
    level: levelBody(receipt.level),
  };
}
