import { describe, expect, it } from 'vitest';
import {
  extendHold,
  getReservation,
  reserveStock,
  resolveHold,
} from '../../shared/holds/use-cases/reservations.js';
import {
  BusinessRuleError,
  HoldAlreadyResolvedError,
  HoldExpiredError,
  NotFoundError,
} from '../../shared/kernel/errors.js';
import { parseReservationId } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { testDeps, useTestTable } from '../support/dynamo.js';
import { aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { table, deps } = useTestTable();

async function aHold(quantity = 2, onHand = 10, ttlSeconds = 600, shards = 1) {
  const { sku, locationId } = await aStockedLevel(deps, onHand, aSku(), undefined, shards);
  const owner = aPrincipal();
  const { reservation } = await reserveStock(deps, { sku, locationId, quantity, ttlSeconds }, owner);
  return { sku, locationId, owner, reservation, id: reservation.reservationId };
}

describe('resolving a hold', () => {
  it('release gives the units back to available', async () => {
    const { sku, locationId, owner, id } = await aHold(3);
    const outcome = await resolveHold(deps, 'release', { reservationId: id }, owner, owner);
    expect(outcome.changed).toBe(true);
    expect(outcome.reservation.status).toBe('RELEASED');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({
      onHand: 10,
      reserved: 0,
      available: 10,
      version: 3,
    });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('confirm moves the units from reserved to committed; fulfil ships them from on hand', async () => {
    // Prepare
    const { sku, locationId, owner, id } = await aHold(4);

    // Act
    const confirmed = await resolveHold(deps, 'confirm', { reservationId: id }, owner, owner);
    const afterConfirm = await readLevel(deps, sku, locationId);
    const fulfilled = await resolveHold(deps, 'fulfill', { reservationId: id }, null, WAREHOUSE_CLERK);

    // Assess
    expect(confirmed.reservation.status).toBe('CONFIRMED');
    expect(afterConfirm).toMatchObject({ onHand: 10, reserved: 0, committed: 4, available: 6 });
    expect(fulfilled.reservation.status).toBe('FULFILLED');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({
      onHand: 6,
      reserved: 0,
      committed: 0,
      available: 6,
    });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('cancel of a confirmed hold returns its units to available', async () => {
    const { sku, locationId, owner, id } = await aHold(4);
    await resolveHold(deps, 'confirm', { reservationId: id }, owner, owner);
    const cancelled = await resolveHold(deps, 'cancel', { reservationId: id }, owner, owner);
    expect(cancelled.reservation.status).toBe('CANCELLED');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 10, committed: 0, available: 10 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('a second confirm changes nothing and says so', async () => {
    const { sku, locationId, owner, id } = await aHold(2);
    await resolveHold(deps, 'confirm', { reservationId: id }, owner, owner);
    const before = await readLevel(deps, sku, locationId);

    const again = await resolveHold(deps, 'confirm', { reservationId: id }, owner, owner);

    expect(again.changed).toBe(false);
    expect(again.reservation.status).toBe('CONFIRMED');
    expect(await readLevel(deps, sku, locationId)).toEqual(before);
  });

  it('refuses to release a confirmed hold and to confirm a released one', async () => {
    const confirmed = await aHold(1);
    await resolveHold(deps, 'confirm', { reservationId: confirmed.id }, confirmed.owner, confirmed.owner);
    const released = await aHold(1);
    await resolveHold(deps, 'release', { reservationId: released.id }, released.owner, released.owner);

    const releaseConfirmed = resolveHold(
      deps,
      'release',
      { reservationId: confirmed.id },
      confirmed.owner,
      confirmed.owner,
    );
    const confirmReleased = resolveHold(
      deps,
      'confirm',
      { reservationId: released.id },
      released.owner,
      released.owner,
    );

    // Both are awaited together, so that neither rejection is ever left unhandled while the other is awaited.
    await Promise.all([
      expect(releaseConfirmed).rejects.toBeInstanceOf(HoldAlreadyResolvedError),
      expect(confirmReleased).rejects.toMatchObject({ details: { status: 'RELEASED' } }),
    ]);
    await expectLevelConsistent(deps, released.sku, released.locationId);
  });

  it('refuses to fulfil or cancel a hold that was never confirmed', async () => {
    const { owner, id } = await aHold(1);
    await expect(resolveHold(deps, 'fulfill', { reservationId: id }, owner, owner)).rejects.toBeInstanceOf(
      HoldAlreadyResolvedError,
    );
    await expect(resolveHold(deps, 'cancel', { reservationId: id }, owner, owner)).rejects.toBeInstanceOf(
      HoldAlreadyResolvedError,
    );
  });

  it('refuses to confirm an expired hold', async () => {
    const { sku, locationId, owner, id } = await aHold(2, 10, 60);
    deps.clock.advance(60_000);
    await expect(resolveHold(deps, 'confirm', { reservationId: id }, owner, owner)).rejects.toBeInstanceOf(
      HoldExpiredError,
    );
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2, committed: 0 });
  });

  it("treats someone else's hold as not found, for reads and for every transition", async () => {
    const { sku, locationId, id } = await aHold(2);
    const stranger = aPrincipal('stranger');
    await expect(getReservation(deps, id, stranger)).rejects.toBeInstanceOf(NotFoundError);
    for (const t of ['release', 'confirm', 'fulfill', 'cancel'] as const) {
      await expect(resolveHold(deps, t, { reservationId: id }, stranger, stranger)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    await expect(extendHold(deps, { reservationId: id, ttlSeconds: 600 }, stranger)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2, version: 2 });
  });

  it('answers an unknown reservation id with not found', async () => {
    const unknown = parseReservationId('01JZZZZZZZZZZZZZZZZZZZZZZZ');
    await expect(getReservation(deps, unknown, null)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      resolveHold(deps, 'release', { reservationId: unknown }, null, WAREHOUSE_CLERK),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('extending a hold', () => {
  it('moves its expiry to ttl seconds from now', async () => {
    const { owner, id } = await aHold(1, 10, 60);
    deps.clock.advance(30_000);
    const extended = await extendHold(deps, { reservationId: id, ttlSeconds: 900 }, owner);
    expect(extended.expiresAt).toBe(deps.clock.now() + 900_000);
    expect((await getReservation(deps, id, owner)).expiresAt).toBe(extended.expiresAt);
  });

  it('cannot revive an expired hold', async () => {
    const { owner, id } = await aHold(1, 10, 60);
    deps.clock.advance(61_000);
    await expect(extendHold(deps, { reservationId: id, ttlSeconds: 900 }, owner)).rejects.toBeInstanceOf(
      HoldExpiredError,
    );
  });

  it('cannot extend a resolved hold', async () => {
    const { owner, id } = await aHold(1);
    await resolveHold(deps, 'release', { reservationId: id }, owner, owner);
    await expect(extendHold(deps, { reservationId: id, ttlSeconds: 900 }, owner)).rejects.toBeInstanceOf(
      HoldAlreadyResolvedError,
    );
  });

  it('cannot hold past the maximum hold time', async () => {
    // Prepare: holds may live at most 10 minutes in all
    const shortDeps = testDeps(table, { ...deps.holdPolicy, maxHoldSeconds: 600 }, deps.clock);
    const { sku, locationId } = await aStockedLevel(shortDeps, 5);
    const owner = aPrincipal();
    const { reservation } = await reserveStock(
      shortDeps,
      { sku, locationId, quantity: 1, ttlSeconds: 300 },
      owner,
    );
    const id = reservation.reservationId;

    // Act
    const tooLong = await extendHold(shortDeps, { reservationId: id, ttlSeconds: 900 }, owner).catch(
      (e: unknown) => e,
    );
    const withinMax = await extendHold(shortDeps, { reservationId: id, ttlSeconds: 600 }, owner);

    // Assess
    expect(tooLong).toBeInstanceOf(BusinessRuleError);
    expect((tooLong as BusinessRuleError).rule).toBe('hold-max-duration');
    expect(withinMax.expiresAt).toBe(reservation.maxExpiresAt);
  });
});

describe('the cap on live holds per caller', () => {
  it('refuses a hold beyond the cap and counts a resolved hold out', async () => {
    // Prepare
    const { sku, locationId } = await aStockedLevel(deps, 50);
    const buyer = aPrincipal();
    const cap = 3;
    const holds = [];
    for (let i = 0; i < cap; i++) {
      holds.push(await reserveStock(deps, { sku, locationId, quantity: 1, activeHoldCap: cap }, buyer));
    }

    // Act
    const beyond = await reserveStock(
      deps,
      { sku, locationId, quantity: 1, activeHoldCap: cap },
      buyer,
    ).catch((e: unknown) => e);
    const first = holds[0]?.reservation.reservationId;
    if (!first) throw new Error('no hold');
    await resolveHold(deps, 'release', { reservationId: first }, buyer, buyer);
    const afterRelease = await reserveStock(
      deps,
      { sku, locationId, quantity: 1, activeHoldCap: cap },
      buyer,
    );

    // Assess
    expect(beyond).toBeInstanceOf(BusinessRuleError);
    expect((beyond as BusinessRuleError).rule).toBe('active-hold-limit');
    expect(afterRelease.reservation.status).toBe('HELD');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: cap });
  });

  it('holds against the cap even when one buyer races many reserves at once', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 100);
    const buyer = aPrincipal();
    const cap = 5;
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, () =>
        reserveStock(deps, { sku, locationId, quantity: 1, activeHoldCap: cap }, buyer),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(cap);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: cap, available: 100 - cap });
  });
});

describe.each([
  [1, 2],
  [4, 5],
])('resolving one hold concurrently, on a level of %i shard(s), a hold of %i units', (shards, quantity) => {
  it('resolves it exactly once when release and confirm race', async () => {
    // Prepare: 20 holds, each hit by 5 releases and 5 confirms at once
    const holds = await Promise.all(Array.from({ length: 20 }, () => aHold(quantity, 10, 600, shards)));

    // Act
    const attempts = holds.flatMap((h) =>
      Array.from({ length: 10 }, (_, i) =>
        resolveHold(deps, i % 2 ? 'release' : 'confirm', { reservationId: h.id }, h.owner, h.owner).then(
          (o) => ({ id: h.id, changed: o.changed, status: o.reservation.status }),
          (e: unknown) => ({ id: h.id, error: e }),
        ),
      ),
    );
    const results = await Promise.all(attempts);

    // Assess
    for (const h of holds) {
      const mine = results.filter((r) => r.id === h.id);
      expect(mine.filter((r) => 'changed' in r && r.changed)).toHaveLength(1);
      for (const r of mine) {
        if ('error' in r) expect(r.error).toBeInstanceOf(HoldAlreadyResolvedError);
      }
      const level = await expectLevelConsistent(deps, h.sku, h.locationId);
      const final = (await getReservation(deps, h.id, h.owner)).status;
      expect(level?.reserved).toBe(0);
      expect(level?.committed).toBe(final === 'CONFIRMED' ? quantity : 0);
      expect(level?.onHand).toBe(10);
    }
  });
});
