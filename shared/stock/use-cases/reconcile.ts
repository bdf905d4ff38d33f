import pLimit from 'p-limit';
import { type DomainEvent, domainEvent } from '../../events/catalogue.js';
import type { EventPublisher } from '../../events/publisher.js';
import type { Clock } from '../../kernel/clock.js';
import type { Stores } from '../../platform/runtime/stores.js';
import {
  type Checkpoint,
  emptyCheckpoint,
  expectedFrom,
  idFloorAt,
  matchingRead,
} from '../domain/checkpoint.js';
import type { LevelShard } from '../domain/level-shard.js';
import { availableOf, COUNTED_BUCKETS } from '../domain/stock-level.js';
import type { LevelShardRef } from '../store/ledger-store.js';
import type { ShardMap } from '../store/shard-directory.js';
import { type RegistryRepair, repairShardRegistry } from './shard-registry-repair.js';

/**
 * Reconciliation: proves every level's counters against its ledger, and reports what does not match. It never
 * changes stock, whatever it finds (a drift is for a human to investigate); it writes its own checkpoints
 * (ADR 32), so that a run replays only the movements after them, and repairs the registry of sharded levels from
 * the shards 0 it read (ADR 43), which routes writes but holds no stock.
 */

export const COUNTER_FIELDS = [...COUNTED_BUCKETS, 'available', 'version'] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];
export type Counters = Record<CounterField, number>;

export type ShardStatus = 'consistent' | 'drift' | 'busy';

export interface ShardCheck extends LevelShardRef {
  /**
   * `consistent`: the counters and version equal the checkpoint plus the replay of the ledger after it (or of the
   * whole ledger). `drift`: they differ, on the whole ledger. `busy`: no level read could be matched with a ledger
   * read in any attempt (written on both sides of each ledger read), so it is not verified this time (not a drift).
   */
  readonly status: ShardStatus;
  /** What the ledger gives (version: the number of movements); null when busy. */
  readonly expected: Counters | null;
  /** What the level shard holds; null when busy. */
  readonly actual: Counters | null;
  /** actual − expected, for each field that differs. */
  readonly difference: Partial<Counters>;
  readonly attempts: number;
  /**
   * `incremental`: from the shard's checkpoint, replaying only the movements after it. `full`: the whole ledger
   * (no checkpoint yet, `full` asked, or the incremental check did not agree: ADR 32).
   */
  readonly mode: 'incremental' | 'full';
  /** The incremental check did not agree and the whole ledger was replayed to decide. */
  readonly fellBack: boolean;
  /** Movements read from the ledger by this check, over all attempts. */
  readonly replayed: number;
  /** The level was written during the check and was verified by counting movements, not by a stable read. */
  readonly whileWritten: boolean;
  /** The shard map the shard recorded at its last read (shard 0's is the level's); null when it was not found. */
  readonly map: ShardMap | null;
}

export interface Discovery {
  /** Level shards listed from the checkpoints (the directory of shards reconciliation already knows). */
  readonly known: number;
  /** Level shards found by this run's part of the discovery scan that had no checkpoint yet. */
  readonly discovered: number;
  /** Pages of the discovery scan read by this run. */
  readonly scannedPages: number;
  /** This run's part of the scan reached the end of the table (the next run starts a new sweep). */
  readonly sweepFinished: boolean;
}

export interface ReconcileReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Level shards checked. */
  readonly checked: number;
  readonly consistent: number;
  readonly drifts: readonly ShardCheck[];
  readonly busy: readonly ShardCheck[];
  /** Checks made from a checkpoint, and checks that replayed a whole ledger. */
  readonly incremental: number;
  readonly full: number;
  /** Whole ledgers replayed because the check from a checkpoint did not agree (ADR 32). */
  readonly fellBack: number;
  /** Movements read from the ledger in all. */
  readonly replayed: number;
  /** Consistent shards verified while they were being written. */
  readonly verifiedWhileWritten: number;
  readonly discovery: Discovery;
  /** The ReconciliationDriftFound events of the drifts (published when a publisher is given). */
  readonly events: readonly DomainEvent[];
  /** False when `shouldStop` ended the run before every level was checked, or before every registry repair. */
  readonly complete: boolean;
  /** What the repair of the registry of sharded levels did, from the shards 0 checked (ADR 43, "Repair"). */
  readonly registry: RegistryRepair;
}

export interface ReconcileDeps extends Pick<Stores, 'levels' | 'ledger' | 'checkpoints' | 'shardRegistry'> {
  readonly clock: Clock;
}

/** How long after its id is taken a movement is taken to have committed (ADR 32): the checkpoint lags by this. */
export const DEFAULT_SETTLE_MS = 5 * 60_000;

export interface ReconcileOptions {
  /** Where ReconciliationDriftFound events go (the bus); none: they are only returned. */
  readonly publisher?: EventPublisher | null;
  /** Checks of one shard before a shard that keeps being written is reported busy. */
  readonly attempts?: number;
  /** Shards checked at once. */
  readonly concurrency?: number;
  /** Items evaluated per page of the discovery scan. */
  readonly pageSize?: number;
  /** Pages of the discovery scan per run (it resumes where the last run stopped); default: to the table's end. */
  readonly scanPages?: number;
  /** Replay every shard's whole ledger, ignoring checkpoints (they are still saved). */
  readonly full?: boolean;
  /** The checkpoint boundary lags the clock by this (ADR 32). */
  readonly settleMs?: number;
  /** Asked before each shard; true stops the run (e.g. a Lambda close to its timeout). */
  readonly shouldStop?: () => boolean;
  /** Told after each shard checked, with how many there are. */
  readonly onProgress?: (done: number, total: number, check: ShardCheck) => void;
  /** Runs between the first read of a shard and the read of its ledger. For tests and diagnostics. */
  readonly afterLevelRead?: (shard: LevelShardRef, attempt: number) => Promise<void>;
  /** Runs between the read of a shard's ledger and the second read of the shard. For tests and diagnostics. */
  readonly afterLedgerRead?: (shard: LevelShardRef, attempt: number) => Promise<void>;
}

type CheckOptions = Pick<
  ReconcileOptions,
  'attempts' | 'afterLevelRead' | 'afterLedgerRead' | 'full' | 'settleMs'
>;

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

interface Attempted {
  readonly status: ShardStatus;
  readonly expected: Counters | null;
  readonly actual: Counters | null;
  readonly difference: Partial<Counters>;
  readonly attempts: number;
  readonly replayed: number;
  readonly whileWritten: boolean;
  /** On `consistent`: the level's version it was verified at. */
  readonly version: number;
  readonly map: ShardMap | null;
}

/**
 * Compares a shard with its checkpoint plus the ledger after it (the whole ledger from an empty checkpoint).
 * 1. Read the shard (strongly consistent), the ledger from the checkpoint's boundary, the shard again.
 * 2. Find the read the ledger read is exactly the committed tail of (`matchingRead`: the same version twice, or a
 *    version that the number of movements explains); none: try again; after `attempts` tries it is busy.
 * 3. Compare that read's counters, `available` (its formula) and version with the checkpoint plus the replay. A
 *    difference seen on a read taken while the shard was written is checked again, to report it from a stable read
 *    when one comes.
 */
async function attemptCheck(
  deps: ReconcileDeps,
  ref: LevelShardRef,
  base: Checkpoint,
  options: CheckOptions,
): Promise<Attempted> {
  const attempts = options.attempts ?? 3;
  let replayed = 0;
  let lastDrift: Attempted | null = null;
  let map: ShardMap | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = await deps.levels.getLevelShard(ref.sku, ref.locationId, ref.shard);
    await options.afterLevelRead?.(ref, attempt);
    const tail = await deps.ledger.shardMovementsFrom(ref.sku, ref.locationId, ref.shard, base.boundary);
    await options.afterLedgerRead?.(ref, attempt);
    const after = await deps.levels.getLevelShard(ref.sku, ref.locationId, ref.shard);
    replayed += tail.length;
    const last = after ?? before;
    if (last) map = { active: last.shardCount, span: last.shardSpan };
    if (!before || !after) continue;
    const which = matchingRead(base, tail.length, before, after);
    if (!which) continue;
    const level = which === 'before' ? before : after;
    const summed = expectedFrom(base, tail);
    const expected: Counters = {
      ...summed.buckets,
      available: availableOf(summed.buckets),
      version: summed.count,
    };
    const actual = countersOf(level);
    const difference = differenceOf(actual, expected);
    const stable = before.version === after.version;
    const result: Attempted = {
      status: Object.keys(difference).length === 0 ? 'consistent' : 'drift',
      expected,
      actual,
      difference,
      attempts: attempt,
      replayed,
      whileWritten: !stable,
      version: level.version,
      map,
    };
    if (result.status === 'consistent' || stable) return result;
    lastDrift = result;
  }
  if (lastDrift) return { ...lastDrift, attempts, replayed, map };
  const busy = { status: 'busy', expected: null, actual: null, difference: {}, attempts } as const;
  return { ...busy, replayed, whileWritten: false, version: 0, map };
}

/**
 * Verifies a shard from a checkpoint in two steps, so that the part of the check that must not be overtaken by
 * writes reads only the last settle window of movements, however many came after the checkpoint.
 * 1. Read the ledger from the checkpoint's boundary once, and sum the movements below the new boundary (settled:
 *    committed long enough ago, ADR 32) into a candidate checkpoint. No level read has to match this read.
 * 2. Compare the shard with the candidate plus the movements from the new boundary on (`attemptCheck`).
 */
async function verifyFrom(
  deps: ReconcileDeps,
  ref: LevelShardRef,
  base: Checkpoint,
  boundary: string,
  options: CheckOptions,
): Promise<{ result: Attempted; candidate: Checkpoint; replayed: number }> {
  let candidate = base;
  let replayed = 0;
  if (boundary > base.boundary) {
    const settled = await deps.ledger.shardMovementsFrom(ref.sku, ref.locationId, ref.shard, base.boundary);
    replayed += settled.length;
    const summed = expectedFrom(
      base,
      settled.filter((m) => m.movementId < boundary),
    );
    candidate = { ...base, boundary, count: summed.count, buckets: summed.buckets };
  }
  const result = await attemptCheck(deps, ref, candidate, options);
  return { result, candidate, replayed: replayed + result.replayed };
}

/**
 * Checks one level shard against its ledger (ADR 32).
 * 1. Take the new checkpoint boundary: the lowest id of the clock's time minus the settle window, before any read.
 * 2. With a checkpoint (and `full` not asked): verify the shard from it (`verifyFrom`). Consistent: done. Busy:
 *    reported busy. A difference: it may be a movement whose id sorts below a boundary but that committed after
 *    the boundary was passed (ids are taken before commit), so it is not reported: go on with the whole ledger.
 * 3. Otherwise verify the shard from the start of its ledger: consistent, drift or busy.
 * 4. Consistent: save the verified candidate checkpoint. A shard with no checkpoint gets an empty one (so that the
 *    next run lists it without a scan). Nothing else is written: stock is never changed.
 */
export async function checkShard(
  deps: ReconcileDeps,
  ref: LevelShardRef,
  options: CheckOptions = {},
): Promise<ShardCheck> {
  const boundary = idFloorAt(deps.clock.now() - (options.settleMs ?? DEFAULT_SETTLE_MS));
  const saved = await deps.checkpoints.getCheckpoint(ref);
  let replayed = 0;
  let fellBack = false;
  if (saved?.boundary && !options.full) {
    const incremental = await verifyFrom(deps, ref, saved, boundary, options);
    replayed += incremental.replayed;
    if (incremental.result.status !== 'drift')
      return finish(deps, ref, saved, incremental.candidate, incremental.result, {
        mode: 'incremental',
        fellBack,
        replayed,
      });
    fellBack = true;
  }
  const whole = await verifyFrom(deps, ref, emptyCheckpoint(ref), boundary, options);
  replayed += whole.replayed;
  return finish(deps, ref, saved, whole.candidate, whole.result, { mode: 'full', fellBack, replayed });
}

async function finish(
  deps: ReconcileDeps,
  ref: LevelShardRef,
  saved: Checkpoint | null,
  candidate: Checkpoint,
  result: Attempted,
  how: Pick<ShardCheck, 'mode' | 'fellBack' | 'replayed'>,
): Promise<ShardCheck> {
  if (result.status === 'consistent') {
    const at = new Date(deps.clock.now()).toISOString();
    await deps.checkpoints.saveCheckpoint({ ...candidate, verifiedVersion: result.version, verifiedAt: at });
  } else if (!saved) {
    await deps.checkpoints.saveCheckpoint(emptyCheckpoint(ref), { first: true });
  }
  return {
    ...ref,
    status: result.status,
    expected: result.expected,
    actual: result.actual,
    difference: result.difference,
    attempts: result.attempts,
    mode: how.mode,
    fellBack: how.fellBack,
    replayed: how.replayed,
    whileWritten: result.whileWritten,
    map: result.map,
  };
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

const refKey = (r: LevelShardRef) => `${r.sku}#${r.locationId}#${r.shard}`;

/**
 * The level shards to check: every shard with a checkpoint (a few queries), and those found by this run's part of
 * the discovery scan, which resumes where the last run stopped and reads at most `scanPages` pages. A Scan reads
 * the whole table, ledger included: the budget keeps a run's cost from growing with history, and a new level is
 * found within a sweep (ADR 32).
 */
async function shardsToCheck(
  deps: ReconcileDeps,
  options: ReconcileOptions,
): Promise<{ shards: LevelShardRef[]; discovery: Discovery }> {
  const known = await deps.checkpoints.listCheckpointedShards();
  const seen = new Set(known.map(refKey));
  const found: LevelShardRef[] = [];
  const pageSize = options.pageSize ?? 500;
  const budget = options.scanPages ?? Number.POSITIVE_INFINITY;
  let cursor = await deps.checkpoints.getSweepCursor();
  let scannedPages = 0;
  do {
    const page = await deps.ledger.scanLevelShards(cursor, pageSize);
    scannedPages += 1;
    for (const ref of page.shards) {
      if (seen.has(refKey(ref))) continue;
      seen.add(refKey(ref));
      found.push(ref);
    }
    cursor = page.nextCursor;
  } while (cursor && scannedPages < budget && !options.shouldStop?.());
  await deps.checkpoints.saveSweepCursor(cursor, new Date(deps.clock.now()).toISOString());
  return {
    shards: [...known, ...found],
    discovery: {
      known: known.length,
      discovered: found.length,
      scannedPages,
      sweepFinished: cursor === null,
    },
  };
}

/**
 * Reconcile every level of the table.
 * 1. List the level shards: those with a checkpoint, and those this run's part of the discovery scan finds.
 * 2. Check each shard against its checkpoint and the ledger after it, or its whole ledger (`checkShard`), a few at
 *    a time; stop starting new ones when `shouldStop` says so.
 * 3. Publish one ReconciliationDriftFound per drift (first, so that nothing after it can keep a drift unsaid).
 * 4. Repair the registry of sharded levels from the shard maps of the shards 0 read in step 2
 *    (`repairShardRegistry`): an entry missing or disagreeing with its shard 0 is written (or removed) in one
 *    transaction that checks shard 0 still shows that map; a level that changed meanwhile is skipped.
 * 5. Report the drifts, each with the difference per bucket, the shards that were too busy to verify, and what
 *    the registry repair did. Stock is never written: only checkpoints, the scan's resume point and registry
 *    entries.
 */
export async function reconcile(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const startedAt = new Date(deps.clock.now()).toISOString();
  const limit = pLimit(options.concurrency ?? 8);
  const { shards, discovery } = await shardsToCheck(deps, options);
  let complete = true;
  let done = 0;
  const checked = await Promise.all(
    shards.map((ref) =>
      limit(async () => {
        if (options.shouldStop?.()) {
          complete = false;
          return null;
        }
        const check = await checkShard(deps, ref, options);
        done += 1;
        options.onProgress?.(done, shards.length, check);
        return check;
      }),
    ),
  );
  const checks = checked.filter((c): c is ShardCheck => c !== null);
  const finishedAt = new Date(deps.clock.now()).toISOString();
  const drifts = checks.filter((c) => c.status === 'drift');
  const events = drifts.flatMap((d) => driftEvent(d, finishedAt) ?? []);
  if (events.length && options.publisher) await options.publisher.publish(events);
  const registry = await repairShardRegistry(
    deps,
    checks.flatMap((c) =>
      c.shard === 0 && c.map ? [{ sku: c.sku, locationId: c.locationId, map: c.map }] : [],
    ),
    options.shouldStop ? { shouldStop: options.shouldStop } : {},
  );
  const consistent = checks.filter((c) => c.status === 'consistent');
  return {
    startedAt,
    finishedAt,
    checked: checks.length,
    consistent: consistent.length,
    drifts,
    busy: checks.filter((c) => c.status === 'busy'),
    incremental: checks.filter((c) => c.mode === 'incremental').length,
    full: checks.filter((c) => c.mode === 'full').length,
    fellBack: checks.filter((c) => c.fellBack).length,
    replayed: checks.reduce((sum, c) => sum + c.replayed, 0),
    verifiedWhileWritten: consistent.filter((c) => c.whileWritten).length,
    discovery,
    events,
    complete:
      complete && registry.notStarted === 0 && (discovery.sweepFinished || options.scanPages !== undefined),
    registry,
  };
}
