import type { PurgedHoldCommand } from '../../../platform/store/commands.js';
import { reservationItem } from '../../../platform/store/records.js';
import { putNew } from '../../../stock/store/requests/level-change.js';
import { type PlannedTransaction, plan } from '../../../stock/store/requests/plan.js';
import { shardSteps } from '../../../stock/store/requests/shard-changes.js';
import { holderRelease } from './reservations.js';

/**
 * The TTL backstop: DynamoDB deleted a reservation that was still HELD, so nobody released its units. One
 * transaction gives them back, writes the EXPIRED movements, and puts the reservation back as EXPIRED. The
 * reservation must not exist (so a duplicate stream record, or one that arrives after the record was restored,
 * changes nothing) and the movement ids are derived from the reservation, so they cannot be written twice either.
 */
export function buildPurgedHoldRelease(tableName: string, cmd: PurgedHoldCommand): PlannedTransaction {
  const r = cmd.purged;
  const restored = {
    ...reservationItem({ ...r, status: 'EXPIRED', updatedAt: cmd.context.at, resolvedAt: cmd.context.at }),
    ttl: cmd.resolvedTtlEpochSeconds,
    lastMovementId: cmd.movementId,
    lastActor: cmd.context.actor,
  };
  const { steps } = shardSteps(
    tableName,
    {
      sku: r.sku,
      locationId: r.locationId,
      type: 'EXPIRED',
      context: cmd.context,
      movementId: cmd.movementId,
      reservationId: r.reservationId,
      reference: { type: 'reservation', id: r.reservationId },
    },
    r.parts.map((p) => ({
      shard: p.shard,
      delta: { reserved: -p.quantity },
      guard: { bucket: 'reserved', quantity: p.quantity },
      upsert: false,
      needsActiveShard: false,
    })),
  );
  return plan(
    [putNew(tableName, restored), { role: 'restored-reservation', reservationId: r.reservationId }],
    ...steps,
    ...(r.countedHold ? [holderRelease(tableName, r.ownerId)] : []),
  );
}
