import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extendHold, reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { applyTransition } from '../../shared/holds/use-cases/transitions.js';
import { DomainError } from '../../shared/kernel/errors.js';
import type { LocationId, PrincipalId, ReservationId, Sku } from '../../shared/kernel/identifiers.js';
import { shardLevel } from '../../shared/stock/use-cases/sharding.js';
import {
  adjustStock,
  blockStock,
  countStock,
  receiveStock,
  transferStock,
} from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aPrincipal, aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

/**
 * A randomized concurrent history: many clients run random operations at once against a few levels, while the
 * clock moves, and levels are split into shards and merged back. Afterwards every level must satisfy the bucket invariant, replaying its ledger must give its
 * counters, and its reserved/committed units must be exactly those of its HELD/CONFIRMED reservations.
 * Refusals are fine (that is the system saying no); anything but a typed domain error fails the run. So that a
 * history where everything is refused cannot pass, enough of each family of operations must have gone through.
 */
const op = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      level: fc.nat(8),
      q: fc.integer({ min: 1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      level: fc.nat(8),
      q: fc.integer({ min: -4, max: 4 }).filter((n) => n !== 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('count' as const),
      level: fc.nat(8),
      q: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('block' as const, 'unblock' as const),
      level: fc.nat(8),
      q: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      level: fc.nat(8),
      to: fc.nat(2),
      q: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      level: fc.nat(8),
      q: fc.integer({ min: 1, max: 3 }),
      owner: fc.nat(3),
      ttl: fc.integer({ min: 10, max: 120 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'release' as const,
        'confirm' as const,
        'fulfill' as const,
        'cancel' as const,
        'extend' as const,
        'expire' as const,
      ),
      hold: fc.nat(),
      asOwner: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1_000, max: 60_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rebalance' as const),
      level: fc.nat(8),
      shards: fc.integer({ min: 1, max: 4 }),
    }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** The families of operations whose share of successes is checked (a tick only moves the clock). */
const FAMILY: Record<Op['kind'], 'stock' | 'reserve' | 'hold' | null> = {
  receive: 'stock',
  adjust: 'stock',
  count: 'stock',
  block: 'stock',
  unblock: 'stock',
  transfer: 'stock',
  rebalance: 'stock',
  reserve: 'reserve',
  release: 'hold',
  confirm: 'hold',
  fulfill: 'hold',
  cancel: 'hold',
  extend: 'hold',
  expire: 'hold',
  tick: null,
};

/**
 * The least share of a family's attempts that must succeed, well below what runs see: most reserves go through
 * (a run saw 90 to 112 of about 110), and hold transitions the least (half come from a caller who is not the
 * owner, and many find the hold already resolved).
 */
const LEAST_SUCCESS_SHARE = { reserve: 0.5, stock: 0.2, hold: 0.1 } as const;

const CLIENTS = 12;

const { deps } = useTestTable();

describe('a randomized concurrent history', () => {
  it('keeps every level consistent with its ledger and its holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 25, maxLength: 40 }), { minLength: CLIENTS, maxLength: CLIENTS }),
        async (programs) => {
          // Prepare: 3 SKUs at 3 locations, each with some stock
          const skus = [aSku(), aSku(), aSku()];
          const locations = [await aLocation(deps), await aLocation(deps), await aLocation(deps)];
          const levels = skus.flatMap((sku) => locations.map((locationId) => ({ sku, locationId })));
          for (const [i, level] of levels.entries()) {
            await receiveStock(
              deps,
              { ...level, quantity: 5 + i },
              { actor: WAREHOUSE_CLERK, reason: 'initial' },
            );
          }
          const owners = [aPrincipal(), aPrincipal(), aPrincipal(), aPrincipal()];
          const holds: Array<{ id: ReservationId; owner: PrincipalId; sku: Sku; locationId: LocationId }> =
            [];
          const unexpected: unknown[] = [];
          const attempts = { stock: 0, reserve: 0, hold: 0 };
          const successes = { stock: 0, reserve: 0, hold: 0 };

          // Act
          const run = async (program: Op[]) => {
            for (const step of program) {
              const family = FAMILY[step.kind];
              try {
                const acted = await perform(step, levels, locations, owners, holds);
                if (family && acted) {
                  attempts[family]++;
                  successes[family]++;
                }
              } catch (error) {
                if (family) attempts[family]++;
                if (!(error instanceof DomainError)) unexpected.push(error);
              }
            }
          };
          await Promise.all(programs.map(run));

          // Assess
          expect(unexpected).toEqual([]);
          for (const family of ['stock', 'reserve', 'hold'] as const) {
            expect(attempts[family], `${family} attempts`).toBeGreaterThan(0);
            expect(
              successes[family] / attempts[family],
              `${family}: ${successes[family]} of ${attempts[family]} succeeded`,
            ).toBeGreaterThanOrEqual(LEAST_SUCCESS_SHARE[family]);
          }
          for (const { sku, locationId } of levels) {
            const level = await expectLevelConsistent(deps, sku, locationId);
            const mine = await Promise.all(
              holds
                .filter((h) => h.sku === sku && h.locationId === locationId)
                .map((h) => deps.holds.getReservation(h.id)),
            );
            const sum = (status: string) =>
              mine.reduce((n, r) => n + (r?.status === status ? r.quantity : 0), 0);
            expect(level?.reserved, `reserved of ${sku}@${locationId}`).toBe(sum('HELD'));
            expect(level?.committed, `committed of ${sku}@${locationId}`).toBe(sum('CONFIRMED'));
          }
        },
      ),
      { numRuns: 3, endOnFailure: true },
    );
    // 10-20 s alone; a full parallel run on a shared 2-core machine has taken it past the default 60 s.
  }, 180_000);
});

/** Runs one step; false when there was nothing to try it on (no hold yet, a transfer to its own location). */
async function perform(
  step: Op,
  levels: Array<{ sku: Sku; locationId: LocationId }>,
  locations: LocationId[],
  owners: PrincipalId[],
  holds: Array<{ id: ReservationId; owner: PrincipalId; sku: Sku; locationId: LocationId }>,
): Promise<boolean> {
  const who = { actor: WAREHOUSE_CLERK, reason: step.kind };
  const pick = <T>(list: T[], n: number): T => list[n % list.length] as T;
  switch (step.kind) {
    case 'tick':
      deps.clock.advance(step.ms);
      return true;
    case 'rebalance':
      await shardLevel(deps, { ...pick(levels, step.level), shards: step.shards }, WAREHOUSE_CLERK);
      return true;
    case 'receive':
      await receiveStock(deps, { ...pick(levels, step.level), quantity: step.q }, who);
      return true;
    case 'adjust':
      await adjustStock(deps, { ...pick(levels, step.level), delta: step.q }, who);
      return true;
    case 'count': {
      const level = pick(levels, step.level);
      const current = await deps.levels.getLevel(level.sku, level.locationId);
      await countStock(deps, { ...level, onHand: step.q, expectedVersion: current?.version ?? 0 }, who);
      return true;
    }
    case 'block':
    case 'unblock':
      await blockStock(deps, { ...pick(levels, step.level), quantity: step.q, direction: step.kind }, who);
      return true;
    case 'transfer': {
      const from = pick(levels, step.level);
      const to = pick(locations, step.to);
      if (to === from.locationId) return false;
      await transferStock(deps, { sku: from.sku, from: from.locationId, to, quantity: step.q }, who);
      return true;
    }
    case 'reserve': {
      const level = pick(levels, step.level);
      const owner = pick(owners, step.owner);
      const { reservation } = await reserveStock(
        deps,
        { ...level, quantity: step.q, ttlSeconds: step.ttl },
        owner,
      );
      holds.push({ id: reservation.reservationId, owner, ...level });
      return true;
    }
    default: {
      if (holds.length === 0) return false;
      const hold = pick(holds, step.hold);
      const scope = step.asOwner ? hold.owner : pick(owners, step.hold + 1);
      if (step.kind === 'extend') {
        await extendHold(deps, { reservationId: hold.id, ttlSeconds: 60 }, scope);
      } else if (step.kind === 'expire') {
        const reservation = await deps.holds.getReservation(hold.id);
        if (!reservation) return false;
        await applyTransition(deps, 'expire', reservation, null, WAREHOUSE_CLERK, 'sweeper');
      } else {
        await resolveHold(deps, step.kind, { reservationId: hold.id }, scope, scope);
      }
      return true;
    }
  }
}
