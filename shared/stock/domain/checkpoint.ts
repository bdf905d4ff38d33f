import { encodeTime } from 'ulidx';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { type Movement, replay } from './movement.js';
import { addBuckets, type Buckets, EMPTY_BUCKETS } from './stock-level.js';

/**
 * A verified checkpoint of one level shard's ledger (ADR 32): the movements whose id sorts below `boundary` number
 * `count` and sum to `buckets`, and a reconciliation saw a level snapshot that agreed with them. The next run
 * replays only the movements from `boundary` on. An empty boundary is the start of the ledger (nothing summed).
 */
export interface Checkpoint {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  /** Exclusive: every movement id `< boundary` is summed in `count` and `buckets`. */
  readonly boundary: string;
  readonly count: number;
  readonly buckets: Buckets;
  /** The level shard's version at the verification that set this checkpoint (0: never verified). */
  readonly verifiedVersion: number;
  readonly verifiedAt: string | null;
}

export const emptyCheckpoint = (ref: Pick<Checkpoint, 'sku' | 'locationId' | 'shard'>): Checkpoint => ({
  sku: ref.sku,
  locationId: ref.locationId,
  shard: ref.shard,
  boundary: '',
  count: 0,
  buckets: EMPTY_BUCKETS,
  verifiedVersion: 0,
  verifiedAt: null,
});

/**
 * The lowest movement id (ULID) of the millisecond `ms`: every id taken before `ms` sorts below it, every id taken
 * at or after it sorts at or above it.
 */
export const idFloorAt = (ms: number): string => `${encodeTime(Math.max(0, ms), 10)}0000000000000000`;

/** What a level shard read says: its version (one per committed movement). */
export interface ShardSnapshot {
  readonly version: number;
}

/**
 * Which level read, if any, the ledger tail (every movement from the checkpoint's boundary, read once) is exactly
 * the committed tail of. Every committed movement bumps its shard's version by one in the same transaction, and a
 * read never shows an uncommitted write, so:
 * - the tail read AFTER the level read `before` holds every movement committed at `before`, and maybe later ones:
 *   when it has exactly `before.version − count` movements, it holds those and no other;
 * - the tail read BEFORE the level read `after` holds only movements committed at `after`: when it has exactly
 *   `after.version − count`, it holds all of them.
 * Otherwise a write landed on each side of the ledger read: no read can be compared (busy).
 */
export function matchingRead(
  checkpoint: Pick<Checkpoint, 'count'>,
  tailLength: number,
  before: ShardSnapshot,
  after: ShardSnapshot,
): 'before' | 'after' | null {
  if (after.version === before.version) return 'after';
  if (checkpoint.count + tailLength === before.version) return 'before';
  if (checkpoint.count + tailLength === after.version) return 'after';
  return null;
}

/** The expected counters of a shard: the checkpoint's sums plus the replay of the tail. */
export function expectedFrom(checkpoint: Pick<Checkpoint, 'count' | 'buckets'>, tail: readonly Movement[]) {
  const replayed = replay(tail);
  return {
    buckets: addBuckets(checkpoint.buckets, replayed.buckets),
    count: checkpoint.count + replayed.count,
  };
}

/**
 * The checkpoint after a verified check: the boundary moves up to `boundary` (never down), and the tail's movements
 * below it are added. Movements at or above the new boundary stay in the next run's tail.
 */
export function advanceCheckpoint(
  checkpoint: Checkpoint,
  tail: readonly Movement[],
  boundary: string,
  verified: { readonly version: number; readonly at: string },
): Checkpoint {
  const next = boundary > checkpoint.boundary ? boundary : checkpoint.boundary;
  const summed = expectedFrom(
    checkpoint,
    tail.filter((m) => m.movementId < next),
  );
  return {
    ...checkpoint,
    boundary: next,
    count: summed.count,
    buckets: summed.buckets,
    verifiedVersion: verified.version,
    verifiedAt: verified.at,
  };
}
