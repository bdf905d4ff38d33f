import type { LocationId, ReservationId, Sku } from '../../../kernel/identifiers.js';
import type { ChangeContext } from '../../../platform/store/commands.js';
import type { Condition } from '../../../platform/store/conditions.js';
import { movementItem } from '../../../platform/store/records.js';
import type { Movement, MovementType } from '../../domain/movement.js';
import type { BucketDelta } from '../../domain/stock-level.js';
import { COUNTED_BUCKETS } from '../../domain/stock-level.js';
import { atLeast, levelUpdate, putNew } from './level-change.js';
import type { Step } from './plan.js';

type TakenBucket = 'available' | 'reserved' | 'committed';

/** One part of one hold moving on one shard: the unit of a multi-hold transaction (a cart). */
export interface HoldPartChange {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  readonly delta: BucketDelta;
  /** The bucket the part takes its units from, which must hold them. */
  readonly takes: TakenBucket;
  readonly quantity: number;
  readonly type: MovementType;
  readonly reservationId: ReservationId;
  readonly movementId: string;
}

/**
 * The level writes and movements of several holds changing at once. DynamoDB refuses two operations on one item
 * in a transaction, so the parts that land on the same shard are merged into one update: deltas summed, guards
 * summed per bucket, `version` raised by the number of movements. Each part keeps its own movement, so the
 * ledger still says which hold did what, and replay still equals the counters.
 */
export function mergedHoldSteps(
  tableName: string,
  parts: readonly HoldPartChange[],
  context: ChangeContext,
): Step[] {
  const byShard = new Map<string, HoldPartChange[]>();
  for (const part of parts) {
    const key = `${part.sku}#${part.locationId}#${part.shard}`;
    byShard.set(key, [...(byShard.get(key) ?? []), part]);
  }
  const steps: Step[] = [];
  for (const group of byShard.values()) {
    const [first] = group;
    if (!first) continue;
    const delta: Record<string, number> = {};
    const taken = new Map<TakenBucket, number>();
    for (const part of group) {
      for (const bucket of COUNTED_BUCKETS) delta[bucket] = (delta[bucket] ?? 0) + (part.delta[bucket] ?? 0);
      taken.set(part.takes, (taken.get(part.takes) ?? 0) + part.quantity);
    }
    const guards: Condition[] = [...taken].map(([bucket, quantity]) => atLeast(bucket, quantity));
    const [guardBucket, guardQuantity] = [...taken][0] ?? ['available', 0];
    steps.push([
      levelUpdate(tableName, {
        sku: first.sku,
        locationId: first.locationId,
        shard: first.shard,
        delta,
        movementId: group.at(-1)?.movementId ?? first.movementId,
        at: context.at,
        guards,
        upsert: false,
        movements: group.length,
      }),
      {
        role: 'level',
        sku: first.sku,
        locationId: first.locationId,
        shard: first.shard,
        guard: { bucket: guardBucket, quantity: guardQuantity },
        needsActiveShard: false,
      },
    ]);
  }
  for (const part of parts) {
    const movement: Movement = {
      movementId: part.movementId,
      sku: part.sku,
      locationId: part.locationId,
      shard: part.shard,
      type: part.type,
      delta: part.delta,
      reason: context.reason,
      reference: context.reference ?? { type: 'reservation', id: part.reservationId },
      reservationId: part.reservationId,
      actor: context.actor,
      at: context.at,
    };
    steps.push([putNew(tableName, movementItem(movement)), { role: 'movement' }]);
  }
  return steps;
}
