/**
 * Splitting a hot level into N sub-counters ("shards") whose sum is the level. Each shard keeps its own
 * `>= 0` guards, so the sum can never go negative. Pure planning functions; the store applies the plans.
 */
export const MAX_SHARDS = 64;

export interface ShardPart {
  readonly shard: number;
  readonly quantity: number;
}

/**
 * Units added to a level are spread evenly over its active shards, starting at shard `start` (callers pass a
 * random one, so that small receipts do not always land on shard 0).
 */
export function spread(quantity: number, shards: number, start = 0): ShardPart[] {
  const n = Math.max(1, Math.min(shards, quantity));
  const base = Math.floor(quantity / n);
  const extra = quantity % n;
  return Array.from({ length: n }, (_, i) => ({
    shard: (start + i) % shards,
    quantity: base + (i < extra ? 1 : 0),
  }));
}

export interface ShardHolding {
  readonly shard: number;
  /** Units of the bucket being taken from (usually `available`). */
  readonly have: number;
}

/**
 * Which shards to take `quantity` units from: one shard that has them all if there is one (searching from
 * `start`, so that concurrent buyers spread over the shards), otherwise the fewest shards, largest first.
 * Null when the shards together cannot serve it.
 */
export function planTake(holdings: readonly ShardHolding[], quantity: number, start = 0): ShardPart[] | null {
  const total = holdings.reduce((sum, h) => sum + Math.max(0, h.have), 0);
  if (total < quantity) return null;
  const ordered = [...holdings].sort(
    (a, b) => ((a.shard - start + 1024) % 1024) - ((b.shard - start + 1024) % 1024),
  );
  const single = ordered.find((h) => h.have >= quantity);
  if (single) return [{ shard: single.shard, quantity }];
  const parts: ShardPart[] = [];
  let left = quantity;
  for (const h of [...holdings].sort((a, b) => b.have - a.have)) {
    if (left === 0) break;
    if (h.have <= 0) continue;
    const take = Math.min(h.have, left);
    parts.push({ shard: h.shard, quantity: take });
    left -= take;
  }
  return parts;
}

/**
 * A rebalance to `shards` active shards: the free units (`available`) of the level are spread evenly over the
 * active shards; retired shards (index >= shards) keep only what is promised (reserved, committed, blocked)
 * until it drains. Returns the change of on-hand (and so of available) for every shard that exists or will.
 */
export function planRebalance(current: readonly ShardHolding[], shards: number): Map<number, number> {
  const total = current.reduce((sum, h) => sum + h.have, 0);
  const target = new Map(spreadEvenly(total, shards).map((p) => [p.shard, p.quantity]));
  const deltas = new Map<number, number>();
  const existing = new Map(current.map((h) => [h.shard, h.have]));
  const every = new Set([...existing.keys(), ...Array.from({ length: shards }, (_, i) => i)]);
  for (const shard of [...every].sort((a, b) => a - b)) {
    deltas.set(shard, (target.get(shard) ?? 0) - (existing.get(shard) ?? 0));
  }
  return deltas;
}

function spreadEvenly(quantity: number, shards: number): ShardPart[] {
  const base = Math.floor(quantity / shards);
  const extra = quantity % shards;
  return Array.from({ length: shards }, (_, i) => ({ shard: i, quantity: base + (i < extra ? 1 : 0) }));
}
