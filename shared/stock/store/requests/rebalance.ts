import type { RebalanceCommand } from '../../../platform/store/commands.js';
import type { LevelShard } from '../../domain/level-shard.js';
import { planRebalance } from '../../domain/sharding.js';
import { plan } from './plan.js';
import { type ShardChange, shardSteps } from './shard-changes.js';
import { shardRegistryStep } from './shard-registry.js';
import type { Planned } from './stock-changes.js';

/** Shards one transaction of a rebalance changes: each is two items (its level update, its movement) of 100. */
export const SHARDS_PER_REBALANCE_TRANSACTION = 48;

interface Move {
  readonly from: number;
  readonly to: number;
  readonly quantity: number;
}

/**
 * Set a level's number of active shards and spread its free units evenly over them, as a sequence of
 * transactions that each move units between shards and balance to zero, so that no unit is lost or made
 * whichever of them applies:
 * - a shard that gives units is guarded by `available >= given` (not by its version: a hot level keeps
 *   selling while it is split, and a stale plan fails on that guard and is planned again), one that receives
 *   them is created if new;
 * - every shard written gets the new `shardCount` and `shardSpan` and a REBALANCED movement, so that each
 *   shard's ledger still counts its versions; a retired shard (index >= the new count) is written even when it
 *   has nothing free to give, so that it refuses new units from then on, and keeps what is promised (reserved,
 *   committed, blocked), which is still sold from it when freed;
 * - shard 0, whose `shardCount` is the level's shard map, takes the new count in the last transaction only
 *   (it may give units in earlier ones): writers route to new shards only once they exist and hold their units;
 *   when the span grows over several transactions, it takes the new span in the first, as readers find the
 *   other shards by it (ADR 34); the registry of sharded levels takes the new map in that same last transaction
 *   (ADR 43), so that it never lists a map shard 0 does not have.
 * A transaction changes at most SHARDS_PER_REBALANCE_TRANSACTION shards (DynamoDB's 100 items).
 */
export function buildRebalance(
  tableName: string,
  cmd: RebalanceCommand,
  current: readonly LevelShard[],
): Planned[] {
  const deltas = planRebalance(
    current.map((s) => ({ shard: s.shard, have: s.available })),
    cmd.shards,
  );
  const byShard = new Map(current.map((s) => [s.shard, s]));
  const span = Math.max(cmd.shards, ...current.map((s) => s.shard + 1), ...current.map((s) => s.shardSpan));
  const groups = spanFirst(
    chunk(movesOf(deltas), cmd.shards, current),
    span > (byShard.get(0)?.shardSpan ?? 1),
  );
  let firstIndex = 0;
  return groups.map((group, g) => {
    const last = g === groups.length - 1;
    const changes: ShardChange[] = [...group].map(([shard, onHand]) => {
      const existing = byShard.get(shard);
      return {
        shard,
        delta: { onHand },
        guard: onHand < 0 ? { bucket: 'available', quantity: -onHand } : null,
        upsert: !existing,
        needsActiveShard: false,
        spanAtMost: span,
        ...shardMapOf(shard, g, last, cmd.shards, span),
      };
    });
    const { steps, movementIds } = shardSteps(
      tableName,
      {
        sku: cmd.sku,
        locationId: cmd.locationId,
        type: 'REBALANCED',
        context: cmd.context,
        movementId: cmd.movementId,
      },
      changes,
      firstIndex,
    );
    firstIndex += changes.length;
    const registry = last
      ? [shardRegistryStep(tableName, cmd.sku, cmd.locationId, { active: cmd.shards, span })]
      : [];
    return { ...plan(...steps, ...registry), movementIds };
  });
}

/**
 * Shard 0 holds the level's shard map: its count changes in the last transaction only, but its span (every shard
 * that exists) grows in the first, so that a reader, who finds the shards beyond shard 0 by its span (ADR 34),
 * never misses a new shard that an earlier transaction gave units to, even if the last never applies.
 */
function shardMapOf(
  shard: number,
  group: number,
  last: boolean,
  shards: number,
  span: number,
): { set?: Record<string, number> } {
  if (shard !== 0 || last) return { set: { shardCount: shards, shardSpan: span } };
  return group === 0 ? { set: { shardSpan: span } } : {};
}

/** When the span grows over several transactions, shard 0 is written in the first (with no units to move). */
function spanFirst(groups: Map<number, number>[], spanGrows: boolean): Map<number, number>[] {
  const first = groups[0];
  if (!spanGrows || groups.length < 2 || !first || first.has(0)) return groups;
  if (first.size < SHARDS_PER_REBALANCE_TRANSACTION) {
    first.set(0, 0);
    return groups;
  }
  return [new Map([[0, 0]]), ...groups];
}

/** Pairs the shards that give units with those that receive them, largest first. */
function movesOf(deltas: ReadonlyMap<number, number>): Move[] {
  const givers = [...deltas].filter(([, d]) => d < 0).map(([shard, d]) => ({ shard, left: -d }));
  const takers = [...deltas].filter(([, d]) => d > 0).map(([shard, d]) => ({ shard, left: d }));
  const moves: Move[] = [];
  let g = 0;
  for (const taker of takers) {
    while (taker.left > 0) {
      const giver = givers[g] as { shard: number; left: number };
      const quantity = Math.min(giver.left, taker.left);
      moves.push({ from: giver.shard, to: taker.shard, quantity });
      giver.left -= quantity;
      taker.left -= quantity;
      if (giver.left === 0) g++;
    }
  }
  return moves;
}

/**
 * The moves grouped into transactions of at most SHARDS_PER_REBALANCE_TRANSACTION shards, each balanced, plus
 * the shards that must be written with no units to move (retired shards that must learn the new count, and
 * shard 0, last). Returns each transaction's change of on-hand per shard.
 */
function chunk(
  moves: readonly Move[],
  shards: number,
  current: readonly LevelShard[],
): Map<number, number>[] {
  const groups: Map<number, number>[] = [];
  let group = new Map<number, number>();
  const add = (shard: number, delta: number) => group.set(shard, (group.get(shard) ?? 0) + delta);
  for (const move of moves) {
    const fresh = [move.from, move.to].filter((s) => !group.has(s)).length;
    if (group.size + fresh > SHARDS_PER_REBALANCE_TRANSACTION) {
      groups.push(group);
      group = new Map();
    }
    add(move.from, -move.quantity);
    add(move.to, move.quantity);
  }
  if (group.size > 0) groups.push(group);
  const written = new Set(groups.flatMap((g) => [...g.keys()]));
  const mustLearn = current
    .filter((s) => s.shard !== 0 && !written.has(s.shard) && s.shardCount !== shards)
    .map((s) => s.shard);
  for (const shard of mustLearn) {
    let last = groups[groups.length - 1];
    if (!last || last.size >= SHARDS_PER_REBALANCE_TRANSACTION) {
      last = new Map();
      groups.push(last);
    }
    last.set(shard, 0);
  }
  // Shard 0 is written in the last transaction, where the level's shard map changes.
  const last = groups[groups.length - 1];
  if (last?.has(0)) return groups;
  if (last && last.size < SHARDS_PER_REBALANCE_TRANSACTION) last.set(0, 0);
  else groups.push(new Map([[0, 0]]));
  return groups;
}
