import * as z from 'zod';
import { MAX_SHARDS } from '../stock/domain/sharding.js';
import {
  base,
  counter,
  counters,
  defineEvent,
  locationId,
  movementId,
  principal,
  quantity,
  REQUEST_ID_PATTERN,
  shard,
  sku,
  version,
} from './detail-fields.js';

/**
 * The events about a level as a whole: its threshold crossings (`{detail-type}#{movementId}` of the movement that
 * crossed), the opening of a replenishment request (`ReplenishmentRequested#{requestId}`), and reconciliation's
 * drift (`ReconciliationDriftFound#{sku}#{locationId}#{shard}#{version}`), and a change of its number of shards
 * (`LevelShardsChanged#{movementId}` of shard 0's REBALANCED movement that changed the shard map).
 */
export const LEVEL_EVENTS = [
  defineEvent({
    type: 'StockLow',
    when: "A change took available from at or above the level's reorder point to below it.",
    detail: z.object({
      ...base,
      sku,
      locationId,
      available: counter.describe('Available after the change, below the reorder point.'),
      reorderPoint: z.int().min(1),
      reorderQuantity: quantity.nullable().describe('How much to reorder, when the policy says.'),
      movementId: movementId.describe('The movement that crossed the threshold.'),
      version,
    }),
    idParts: (d) => [d.movementId],
    checks: [(d) => (d.available < d.reorderPoint ? null : 'available must be below reorderPoint')],
  }),
  defineEvent({
    type: 'StockOut',
    when: 'A change took available from above zero to zero.',
    detail: z.object({
      ...base,
      sku,
      locationId,
      available: z.literal(0),
      movementId: movementId.describe('The movement that took available to zero.'),
      version,
    }),
    idParts: (d) => [d.movementId],
  }),
  defineEvent({
    type: 'StockBackInStock',
    when: 'A change took available from zero to above zero.',
    detail: z.object({
      ...base,
      sku,
      locationId,
      available: z.int().min(1),
      movementId: movementId.describe('The movement that took available above zero.'),
      version,
    }),
    idParts: (d) => [d.movementId],
  }),
  defineEvent({
    type: 'ReplenishmentRequested',
    when: 'A replenishment request was opened for a level whose available fell below its reorder point (at most one open per level).',
    detail: z.object({
      ...base,
      requestId: z.string().regex(REQUEST_ID_PATTERN).describe('Id of the replenishment request.'),
      sku,
      locationId,
      quantity: quantity.describe('Units to replenish.'),
      available: counter.describe('Available when the request was opened.'),
      reorderPoint: z.int().min(1),
    }),
    idParts: (d) => [d.requestId],
  }),
  defineEvent({
    type: 'ReconciliationDriftFound',
    when: 'Reconciliation found a level whose counters or version differ from the replay of its ledger.',
    detail: z.object({
      ...base,
      sku,
      locationId,
      shard,
      expected: counters.describe('What the replay of the ledger gives (version: the number of movements).'),
      actual: counters.describe('What the level item holds.'),
    }),
    idParts: (d) => [d.sku, d.locationId, d.shard, d.actual.version],
    checks: [
      (d) =>
        JSON.stringify(d.expected) === JSON.stringify(d.actual) ? 'expected and actual must differ' : null,
    ],
  }),
  defineEvent({
    type: 'LevelShardsChanged',
    when: "A rebalance changed a level's number of active shards (the admin route, or the automatic sharding job).",
    detail: z.object({
      ...base,
      sku,
      locationId,
      from: z.int().min(1).max(MAX_SHARDS).describe('Active shards before.'),
      to: z.int().min(1).max(MAX_SHARDS).describe('Active shards after.'),
      movementId: movementId.describe("Shard 0's REBALANCED movement that changed the shard map."),
      actor: principal.describe('Who rebalanced: an admin, or `system:auto-shard`.'),
    }),
    idParts: (d) => [d.movementId],
    checks: [(d) => (d.from !== d.to ? null : 'from and to must differ')],
  }),
] as const;
