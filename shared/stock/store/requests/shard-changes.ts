import type { LocationId, ReservationId, Sku } from '../../../kernel/identifiers.js';
import { partMovementId } from '../../../kernel/ids.js';
import type { ChangeContext } from '../../../platform/store/commands.js';
import type { Condition } from '../../../platform/store/conditions.js';
import { movementItem } from '../../../platform/store/records.js';
import type { MovementReference, MovementType, TransferLink } from '../../domain/movement.js';
import type { BucketDelta } from '../../domain/stock-level.js';
import {
  activeShard,
  atLeast,
  levelUpdate,
  newShard,
  putNew,
  spanAtMost,
  versionIs,
} from './level-change.js';
import type { LevelGuard, Step } from './plan.js';

/** One shard's part of a stock change. */
export interface ShardChange {
  readonly shard: number;
  readonly delta: BucketDelta;
  readonly guard: LevelGuard;
  readonly upsert: boolean;
  /** The change adds units: the shard must be active (see `activeShard`). */
  readonly needsActiveShard: boolean;
  readonly mustBeNew?: boolean;
  /** The change sets the level's span to this, which must not shrink it (see `spanAtMost`). */
  readonly spanAtMost?: number;
  readonly set?: Readonly<Record<string, unknown>>;
}

export interface ChangeOf {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly type: MovementType;
  readonly context: ChangeContext;
  /** The first movement's id; the others are derived from it. */
  readonly movementId: string;
  readonly reservationId?: ReservationId | null;
  readonly reference?: MovementReference | null;
  readonly transfer?: TransferLink;
}

function guardsOf(change: ShardChange): Condition[] {
  const guards: Condition[] = [];
  if (change.mustBeNew) guards.push(newShard);
  if (change.guard && 'version' in change.guard) guards.push(versionIs(change.guard.version));
  if (change.guard && 'bucket' in change.guard)
    guards.push(atLeast(change.guard.bucket, change.guard.quantity));
  if (change.needsActiveShard) guards.push(activeShard(change.shard));
  if (change.spanAtMost !== undefined) guards.push(spanAtMost(change.spanAtMost));
  return guards;
}

/**
 * The level updates and movements of one stock change over one or more shards of a level: each shard's
 * update (with its own guards) and its movement in that shard's ledger. Returns the steps and the movement ids.
 */
export function shardSteps(
  tableName: string,
  of: ChangeOf,
  changes: readonly ShardChange[],
  firstIndex = 0,
): { steps: Step[]; movementIds: string[] } {
  const steps: Step[] = [];
  const movementIds: string[] = [];
  changes.forEach((change, i) => {
    const movementId = partMovementId(of.movementId, firstIndex + i);
    movementIds.push(movementId);
    steps.push([
      levelUpdate(tableName, {
        sku: of.sku,
        locationId: of.locationId,
        shard: change.shard,
        delta: change.delta,
        movementId,
        at: of.context.at,
        guards: guardsOf(change),
        upsert: change.upsert,
        ...(change.set ? { set: change.set } : {}),
      }),
      {
        role: 'level',
        sku: of.sku,
        locationId: of.locationId,
        shard: change.shard,
        guard: change.guard,
        needsActiveShard: change.needsActiveShard,
        ...(change.mustBeNew ? { mustBeNew: true } : {}),
        ...(change.spanAtMost !== undefined ? { spanAtMost: change.spanAtMost } : {}),
      },
    ]);
    steps.push([
      putNew(
        tableName,
        movementItem({
          movementId,
          sku: of.sku,
          locationId: of.locationId,
          shard: change.shard,
          type: of.type,
          delta: change.delta,
          reason: of.context.reason,
          reference: of.reference ?? of.context.reference,
          reservationId: of.reservationId ?? null,
          actor: of.context.actor,
          at: of.context.at,
          transfer: of.transfer ?? null,
        }),
      ),
      { role: 'movement' },
    ]);
  });
  return { steps, movementIds };
}
