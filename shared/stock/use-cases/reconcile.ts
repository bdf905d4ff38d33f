import pLimit from 'p-limit';
import { type DomainEvent, domainEvent } from '../../events/catalogue.js';
import type { EventPublisher } from '../../events/publisher.js';
import type { Clock } from '../../kernel/clock.js';
import type { Stores } from '../../platform/runtime/stores.js';
import type { LevelShard } from '../domain/level-shard.js';
import { replay } from '../domain/movement.js';
import { availableOf, COUNTED_BUCKETS } from '../domain/stock-level.js';
import type { LevelShardRef } from '../store/ledger-store.js';

/**
 * Reconciliation: proves every level's counters against its ledger, and reports what does not match. It only
 * reads: it never changes stock, whatever it finds (a drift is for a human to investigate).
 */

export const COUNTER_FIELDS = [...COUNTED_BUCKETS, 'available', 'version'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;

export type ShardStatus = 'consistent' | 'drift' | 'busy';

export interface ShardCheck extends LevelShardRef {
  /**
   * `consistent`: the counters and version equal the replay of the ledger. `drift`: they differ. `busy`: the
   * shard was written during every attempt to check it, so it is not verified this time (not a drift).
   */
  readonly status: ShardStatus;
  /** What the ledger's replay gives (version: the number of movements); null when busy. */
  readonly expected: Counters | null;
  /** What the level shard holds; null when busy. */
  readonly actual: Counters | null;
  /** actual − expected, for each field that differs. */
  readonly difference: Partial<Counters>;
  readonly attempts: number;
}

export interface ReconcileReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Level shards checked. */
  readonly checked: number;
  readonly consistent: number;
  readonly drifts: readonly ShardCheck[];
  readonly busy: readonly ShardCheck[];
  /** The ReconciliationDriftFound events of the drifts (published when a publisher is given). */
  readonly events: readonly DomainEvent[];
  /** False when `shouldStop` ended the run before every level was checked. */
  readonly complete: boolean;
}

export interface ReconcileDeps extends Pick<Stores, 'levels' | 'ledger'> {
  readonly clock: Clock;
}

export interface ReconcileOptions {
  /** Where ReconciliationDriftFound events go (the bus); none: they are only returned. */
  readonly publisher?: EventPublisher | null;
  /** Checks of one shard before a shard that keeps being written is reported busy. */
  readonly attempts?: number;
  /** Shards checked at once. */
  readonly concurrency?: number;
  /** Items evaluated per page of the scan. */
  readonly pageSize?: number;
  /** Asked between pages; true stops the run (e.g. a Lambda close to its timeout). */
  readonly shouldStop?: () => boolean;
  /** Runs between the first read of a shard and the read of its ledger. For tests and diagnostics. */
  readonly afterLevelRead?: (shard: LevelShardRef, attempt: number) => Promise<void>;
}

const countersOf = (s: LevelShard): Counters => ({
  ...(Object.fromEntries(COUNTED_BUCKETS.map((b) => [b, s[b]])) as Record<
    (typeof COUNTED_BUCKETS)[number],
    number
  >),
  available: s.available,
  version: s.version,
});

function differenceOf(actual: Counters, expected: Counters): Partial<Counters> {
  const difference: Partial<Counters> = {};
  for (const field of COUNTER_FIELDS) {
    if (actual[field] !== expected[field]) difference[field] = actual[field] - expected[field];
  }
  return difference;
}

/**
 * Checks one level shard against its ledger.
 * 1. Read the shard (strongly consistent), then its whole ledger, then the shard again.
 * 2. Only when both reads show the same version is the comparison meaningful: every write of a shard bumps its
 *    version in the same transaction as its movement, so no write happened in between and the ledger read is
 *    exactly the one of that version. Otherwise try again; after `attempts` tries the shard is `busy`.
 * 3. Replay the ledger (sum of deltas, number of movements) and compare it with the counters, `available`
 *    (its formula, from the replayed buckets) and `version`.
 */
export async function checkShard(
  deps: ReconcileDeps,
  ref: LevelShardRef,
  options: Pick<ReconcileOptions, 'attempts' | 'afterLevelRead'> = {},
): Promise<ShardCheck> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = await deps.levels.getLevelShard(ref.sku, ref.locationId, ref.shard);
    await options.afterLevelRead?.(ref, attempt);
    const movements = await deps.ledger.shardMovements(ref.sku, ref.locationId, ref.shard);
    const after = await deps.levels.getLevelShard(ref.sku, ref.locationId, ref.shard);
    if (!before || !after || before.version !== after.version) continue;
    const replayed = replay(movements);
    const expected: Counters = {
      ...replayed.buckets,
      available: availableOf(replayed.buckets),
      version: replayed.count,
    };
    const actual = countersOf(after);
    const difference = differenceOf(actual, expected);
    const status = Object.keys(difference).length === 0 ? 'consistent' : 'drift';
    return { ...ref, status, expected, actual, difference, attempts: attempt };
  }
  return { ...ref, status: 'busy', expected: null, actual: null, difference: {}, attempts };
}

/** The ReconciliationDriftFound event of a drift. */
export function driftEvent(check: ShardCheck, occurredAt: string): DomainEvent | null {
  if (check.status !== 'drift' || !check.expected || !check.actual) return null;
  return domainEvent('ReconciliationDriftFound', {
    schemaVersion: 1,
    occurredAt,
    sku: check.sku,
    locationId: check.locationId,
    shard: check.shard,
    expected: check.expected,
    actual: check.actual,
  });
}

/**
 * Reconcile every level of the table.
 * 1. Find every level shard with a paginated Scan filtered to level items. A Scan reads the whole table: fine
 *    for a batch job run daily (its cost is one read of the table), never for a request path.
 * 2. Check each shard against its ledger (`checkShard`), a few at a time.
 * 3. Report the drifts, each with the difference per bucket, and the shards that were too busy to verify;
 *    publish one ReconciliationDriftFound per drift. Nothing is ever written.
 */
export async function reconcile(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const startedAt = new Date(deps.clock.now()).toISOString();
  const limit = pLimit(options.concurrency ?? 8);
  const pageSize = options.pageSize ?? 500;
  const checks: ShardCheck[] = [];
  let cursor: string | null = null;
  let complete = true;
  do {
    if (options.shouldStop?.()) {
      complete = false;
      break;
    }
    const page = await deps.ledger.scanLevelShards(cursor, pageSize);
    checks.push(
      ...(await Promise.all(page.shards.map((ref) => limit(() => checkShard(deps, ref, options))))),
    );
    cursor = page.nextCursor;
  } while (cursor);
  const finishedAt = new Date(deps.clock.now()).toISOString();
  const drifts = checks.filter((c) => c.status === 'drift');
  const events = drifts.flatMap((d) => driftEvent(d, finishedAt) ?? []);
  if (events.length && options.publisher) await options.publisher.publish(events);
  return {
    startedAt,
    finishedAt,
    checked: checks.length,
    consistent: checks.filter((c) => c.status === 'consistent').length,
    drifts,
    busy: checks.filter((c) => c.status === 'busy'),
    events,
    complete,
  };
}
