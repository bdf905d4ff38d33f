import type { LocationId, Sku } from '../../kernel/identifiers.js';

/** The counted buckets of a stock level. `available` is derived from them (see `availableOf`). */
export const COUNTED_BUCKETS = [
  'onHand',
  'reserved',
  'committed',
  'unavailable',
  'safetyStock',
  'incoming',
] as const;
export type CountedBucket = (typeof COUNTED_BUCKETS)[number];

export type Buckets = Record<CountedBucket, number>;
export type BucketDelta = Partial<Record<CountedBucket, number>>;

/** The figures of a level (or of a shard): its counted buckets and what of them is available. */
export interface BucketFigures extends Buckets {
  readonly available: number;
}

/** Only the bucket figures of a level or shard (not its keys, version or policy), in the buckets' order. */
export function bucketFiguresOf(level: BucketFigures): BucketFigures {
  return {
    onHand: level.onHand,
    reserved: level.reserved,
    committed: level.committed,
    unavailable: level.unavailable,
    safetyStock: level.safetyStock,
    incoming: level.incoming,
    available: level.available,
  };
}

export interface ReplenishmentPolicy {
  readonly reorderPoint: number | null;
  readonly reorderQuantity: number | null;
}

export interface StockLevel extends Buckets {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly available: number;
  /** Number of changes applied to the level (summed over its shards). */
  readonly version: number;
  readonly shards: number;
  readonly policy: ReplenishmentPolicy;
  readonly updatedAt: string | null;
}

// Pure (the console bundles this module: unused there, it is dropped).
export const EMPTY_BUCKETS: Buckets = /* @__PURE__ */ Object.freeze({
  onHand: 0,
  reserved: 0,
  committed: 0,
  unavailable: 0,
  safetyStock: 0,
  incoming: 0,
});

/** available = onHand − reserved − committed − unavailable − safetyStock. `incoming` is never sellable. */
export function availableOf(b: Buckets): number {
  return b.onHand - b.reserved - b.committed - b.unavailable - b.safetyStock;
}

/** The change of `available` that a bucket delta implies. */
export function availableDeltaOf(delta: BucketDelta): number {
  return (
    (delta.onHand ?? 0) -
    (delta.reserved ?? 0) -
    (delta.committed ?? 0) -
    (delta.unavailable ?? 0) -
    (delta.safetyStock ?? 0)
  );
}

export function applyDelta(b: Buckets, delta: BucketDelta): Buckets {
  const next = { ...b };
  for (const bucket of COUNTED_BUCKETS) next[bucket] += delta[bucket] ?? 0;
  return next;
}

export function addBuckets(a: Buckets, b: Buckets): Buckets {
  return applyDelta(a, b);
}

/** Drops zero entries so that a delta says only what changed. */
export function compactDelta(delta: BucketDelta): BucketDelta {
  const out: BucketDelta = {};
  for (const bucket of COUNTED_BUCKETS) {
    const n = delta[bucket];
    if (n !== undefined && n !== 0) out[bucket] = n;
  }
  return out;
}

export interface InvariantBreach {
  readonly rule: string;
  readonly actual: number;
  readonly expected?: number;
}

/** The bucket invariant: every bucket and `available` non-negative, and `available` equal to its formula. */
export function invariantBreaches(level: Buckets & { available: number }): InvariantBreach[] {
  const breaches: InvariantBreach[] = [];
  for (const bucket of COUNTED_BUCKETS) {
    if (level[bucket] < 0) breaches.push({ rule: `${bucket} >= 0`, actual: level[bucket] });
  }
  if (level.available < 0) breaches.push({ rule: 'available >= 0', actual: level.available });
  const expected = availableOf(level);
  if (level.available !== expected) {
    breaches.push({
      rule: 'available = onHand - reserved - committed - unavailable - safetyStock',
      actual: level.available,
      expected,
    });
  }
  return breaches;
}
