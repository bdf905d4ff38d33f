import type { LevelShard } from '../../stock/domain/level-shard.js';
import type { Movement } from '../../stock/domain/movement.js';
import { type BucketFigures, bucketFiguresOf } from '../../stock/domain/stock-level.js';

/** A level shard's figures right after a change. */
export type LevelFigures = BucketFigures;

/**
 * One change to a level (shard): its movement (what, who, why, when; a transfer's link left out) and the level
 * shard right after it, at its version. A level shard's changes have consecutive versions; the feed orders all
 * changes by `seq`.
 */
export interface LevelChange extends Omit<Movement, 'transfer'> {
  /** The level shard's version right after the change: its position in the shard's own order. */
  readonly version: number;
  readonly level: LevelFigures;
}

/** A change as the feed holds it: with its position in the feed's one global order. */
export interface FeedChange extends LevelChange {
  /** 1, 2, 3, ...: dense, assigned once, never reused. */
  readonly seq: number;
}

/** The change a level shard's write made, from the shard right after it and the movement it linked. */
export function levelChangeOf(level: LevelShard, movement: Movement): LevelChange {
  return {
    sku: level.sku,
    locationId: level.locationId,
    shard: level.shard,
    version: level.version,
    movementId: movement.movementId,
    type: movement.type,
    delta: { ...movement.delta },
    reason: movement.reason,
    reference: movement.reference,
    reservationId: movement.reservationId,
    actor: movement.actor,
    at: movement.at,
    level: bucketFiguresOf(level),
  };
}

/** A level shard's identity, for grouping its changes. */
export const levelShardOf = (c: Pick<LevelChange, 'sku' | 'locationId' | 'shard'>): string =>
  `${c.sku}#${c.locationId}#${c.shard}`;
