import pLimit from 'p-limit';
import { DomainError } from '../../kernel/errors.js';
import { type LocationId, type PrincipalId, parsePrincipalId, type Sku } from '../../kernel/identifiers.js';
import { deterministicUlid } from '../../kernel/ids.js';
import type { IndexedHold } from '../../platform/store/commands.js';
import { expiryBuckets } from '../../platform/store/keys.js';
import { changeContext, type UseCaseDeps } from '../../platform/use-cases/context.js';
import type { Reservation } from '../domain/reservation.js';
import { applyTransition } from './transitions.js';

export const SWEEPER: PrincipalId = parsePrincipalId('system:sweeper');
export const RECLAIM: PrincipalId = parsePrincipalId('system:reclaim');
export const TTL_BACKSTOP: PrincipalId = parsePrincipalId('system:ttl-backstop');

export type ExpireOutcome = 'expired' | 'skipped';

/**
 * Expire one hold found in an index. The transition itself is guarded (still HELD and past its expiry), so an
 * index entry that is stale, or a hold that someone confirmed or released meanwhile, is skipped, never
 * released twice.
 */
export async function expireHold(
  deps: UseCaseDeps,
  hold: IndexedHold,
  actor: PrincipalId,
): Promise<ExpireOutcome> {
  try {
    const outcome = await applyTransition(deps, 'expire', hold, null, actor, 'hold expired');
    return outcome.changed ? 'expired' : 'skipped';
  } catch (error) {
    if (error instanceof DomainError) return 'skipped';
    throw error;
  }
}

/**
 * Inline reclaim: release a level's expired holds so that an expired hold never causes a false "out of stock".
 * 1. Query the level's live holds that expired by now (the `levelHolds` index).
 * 2. Expire each with its guarded transition.
 * Returns the units given back.
 */
export async function reclaimExpiredHolds(
  deps: UseCaseDeps,
  sku: Sku,
  locationId: LocationId,
  limit = 25,
): Promise<number> {
  const expired = await deps.holds.findExpiredHoldsOfLevel(sku, locationId, deps.clock.now(), limit);
  const outcomes = await Promise.all(expired.map((hold) => expireHold(deps, hold, RECLAIM)));
  return expired.reduce((units, hold, i) => units + (outcomes[i] === 'expired' ? hold.quantity : 0), 0);
}

/** How much of a level's `reserved` is held by holds that have already expired but are not released yet. */
export async function expiredHeldOf(
  deps: UseCaseDeps,
  sku: Sku,
  locationId: LocationId,
): Promise<{ holds: number; quantity: number }> {
  const expired = await deps.holds.findExpiredHoldsOfLevel(sku, locationId, deps.clock.now(), 1_000);
  return { holds: expired.length, quantity: expired.reduce((sum, h) => sum + h.quantity, 0) };
}

export interface SweepOptions {
  /** Holds fetched per query of one expiry bucket. */
  readonly batchSize?: number;
  /** Transitions in flight at once. */
  readonly concurrency?: number;
  /** Asked between batches; true stops the sweep (e.g. the Lambda is close to its timeout). */
  readonly shouldStop?: () => boolean;
}

export interface SweepReport {
  readonly expired: number;
  readonly skipped: number;
  /** True when no expired hold was left in the index when the sweep ended. */
  readonly drained: boolean;
  /** Age of the oldest expired hold still unreleased when the sweep started, or null if none. */
  readonly oldestExpiredAgeMsBefore: number | null;
  /** Age of the oldest expired hold still unreleased when the sweep ended (the sweeper's lag), or null. */
  readonly oldestExpiredAgeMsAfter: number | null;
}

/**
 * The sweeper: releases every expired hold, on time, in bounded batches.
 * 1. Look at the oldest expired hold of every expiry bucket (one small query each): the lag metric, and which
 *    buckets have work (the index is spread over EXPIRY_BUCKETS partitions so that it is no write hot spot;
 *    a quiet sweep costs one query per bucket).
 * 2. For each bucket with work, in parallel: query up to `batchSize` expired holds, expire them with bounded
 *    concurrency, and query again, until the bucket is empty or `shouldStop()` says to stop. Expired holds leave
 *    the index, so each query starts from the oldest remaining one: the continuation is the index itself.
 * 3. Measure the lag again and report.
 * A hold seen twice in one sweep (a stale index entry) ends its bucket's loop for this run.
 */
export async function sweepExpiredHolds(deps: UseCaseDeps, options: SweepOptions = {}): Promise<SweepReport> {
  const batchSize = options.batchSize ?? 100;
  const limit = pLimit(options.concurrency ?? 16);
  const shouldStop = options.shouldStop ?? (() => false);
  const before = await oldestExpiredPerBucket(deps);
  const oldestExpiredAgeMsBefore = ageOfOldest(deps, before);
  let expired = 0;
  let skipped = 0;
  let stopped = false;

  await Promise.all(
    before.map(async ({ bucket }) => {
      const seen = new Set<string>();
      for (;;) {
        if (shouldStop()) {
          stopped = true;
          return;
        }
        const batch = await deps.holds.findExpiredHolds(bucket, deps.clock.now(), batchSize);
        const fresh = batch.filter((hold) => !seen.has(hold.reservationId));
        if (fresh.length === 0) return;
        for (const hold of fresh) seen.add(hold.reservationId);
        const outcomes = await Promise.all(fresh.map((hold) => limit(() => expireHold(deps, hold, SWEEPER))));
        for (const outcome of outcomes) outcome === 'expired' ? expired++ : skipped++;
        if (batch.length < batchSize) return;
      }
    }),
  );

  const oldestExpiredAgeMsAfter = await oldestExpiredAge(deps);
  return {
    expired,
    skipped,
    drained: !stopped && oldestExpiredAgeMsAfter === null,
    oldestExpiredAgeMsBefore,
    oldestExpiredAgeMsAfter,
  };
}

/** The age of the oldest expired-but-unreleased hold across all expiry buckets, or null when there is none. */
export async function oldestExpiredAge(deps: UseCaseDeps): Promise<number | null> {
  return ageOfOldest(deps, await oldestExpiredPerBucket(deps));
}

/** The expiry buckets that hold an expired hold, each with its oldest one's expiry. */
async function oldestExpiredPerBucket(deps: UseCaseDeps): Promise<{ bucket: string; expiresAt: number }[]> {
  const now = deps.clock.now();
  const oldest = await Promise.all(
    expiryBuckets().map(async (bucket) => {
      const [hold] = await deps.holds.findExpiredHolds(bucket, now, 1);
      return hold ? [{ bucket, expiresAt: hold.expiresAt }] : [];
    }),
  );
  return oldest.flat();
}

function ageOfOldest(deps: UseCaseDeps, oldest: readonly { expiresAt: number }[]): number | null {
  return oldest.length ? deps.clock.now() - Math.min(...oldest.map((o) => o.expiresAt)) : null;
}

export type PurgedHoldOutcome = 'released' | 'duplicate' | 'ignored';

/**
 * The TTL backstop, for a reservation that DynamoDB TTL deleted (a stream REMOVE by the DynamoDB service).
 * 1. Ignore anything but a reservation that was still HELD when deleted: a resolved hold has nothing to give.
 * 2. One transaction: the reservation is written back as EXPIRED (it must not exist, so a duplicate or late
 *    delivery changes nothing), the level gets its units back, the EXPIRED movement is written with an id
 *    derived from the reservation.
 */
export async function releasePurgedHold(deps: UseCaseDeps, purged: Reservation): Promise<PurgedHoldOutcome> {
  if (purged.status !== 'HELD') return 'ignored';
  const now = deps.clock.now();
  const released = await deps.holds.releasePurgedHold({
    purged,
    movementId: deterministicUlid(purged.expiresAt, purged.reservationId, 'ttl-expired'),
    context: changeContext(deps, { actor: TTL_BACKSTOP, reason: 'hold deleted by TTL while held' }),
    resolvedTtlEpochSeconds: Math.ceil(now / 1000) + deps.holdPolicy.retentionSeconds,
  });
  return released ? 'released' : 'duplicate';
}
