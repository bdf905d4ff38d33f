import type { PurgedHoldCommand } from '../commands.js';
import { movementItem, reservationItem } from '../records.js';
import { atLeast, type LevelChange, levelUpdate, putNew } from './level-change.js';
import { type PlannedTransaction, plan } from './plan.js';
import { holderRelease } from './reservations.js';

/**
 * The TTL backstop: DynamoDB deleted a reservation that was still HELD, so nobody released its units. One
 * transaction gives them back, writes the EXPIRED movement, and puts the reservation back as EXPIRED. The
 * reservation must not exist (so a duplicate stream record, or one that arrives after the record was restored,
 * changes nothing) and the movement id is derived from the reservation, so it cannot be written twice either.
 */
export function buildPurgedHoldRelease(tableName: string, cmd: PurgedHoldCommand): PlannedTransaction {
  const r = cmd.purged;
  const change: LevelChange = {
    sku: r.sku,
    locationId: r.locationId,
    shard: r.shard,
    delta: { reserved: -r.quantity },
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [atLeast('reserved', r.quantity)],
    upsert: false,
  };
  const restored = {
    ...reservationItem({ ...r, status: 'EXPIRED', updatedAt: cmd.context.at, resolvedAt: cmd.context.at }),
    ttl: cmd.resolvedTtlEpochSeconds,
  };
  return plan(
    [putNew(tableName, restored), { role: 'restored-reservation', reservationId: r.reservationId }],
    [levelUpdate(tableName, change), { role: 'level', sku: r.sku, locationId: r.locationId, guard: null }],
    [
      putNew(
        tableName,
        movementItem({
          movementId: cmd.movementId,
          sku: r.sku,
          locationId: r.locationId,
          shard: r.shard,
          type: 'EXPIRED',
          delta: change.delta,
          reason: cmd.context.reason,
          reference: { type: 'reservation', id: r.reservationId },
          reservationId: r.reservationId,
          actor: cmd.context.actor,
          at: cmd.context.at,
        }),
      ),
      { role: 'movement' },
    ],
    ...(r.countedHold ? [holderRelease(tableName, r.ownerId)] : []),
  );
}
