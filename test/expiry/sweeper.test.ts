import { describe, expect, it } from 'vitest';
import { sweepExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { getReservation, reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { HoldExpiredError } from '../../shared/kernel/errors.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { deps } = useTestTable();

describe('the sweeper', () => {
  it('releases the holds that have expired, once, and leaves the live ones', async () => {
    // Prepare: three holds expiring in 1 minute, two in 10
    const { sku, locationId } = await aStockedLevel(deps, 20);
    const short = await Promise.all(
      [1, 2, 3].map((q) =>
        reserveStock(deps, { sku, locationId, quantity: q, ttlSeconds: 60 }, aPrincipal()),
      ),
    );
    const long = await Promise.all(
      [4, 5].map((q) => reserveStock(deps, { sku, locationId, quantity: q, ttlSeconds: 600 }, aPrincipal())),
    );
    deps.clock.advance(61_000);

    // Act
    const report = await sweepExpiredHolds(deps);
    const again = await sweepExpiredHolds(deps);

    // Assess
    expect(report).toMatchObject({ expired: 3, drained: true, oldestExpiredAgeMsAfter: null });
    expect(report.oldestExpiredAgeMsBefore).toBeGreaterThanOrEqual(1_000);
    expect(again.expired).toBe(0);
    for (const { reservation } of short)
      expect((await getReservation(deps, reservation.reservationId, null)).status).toBe('EXPIRED');
    for (const { reservation } of long)
      expect((await getReservation(deps, reservation.reservationId, null)).status).toBe('HELD');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 9, available: 11 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('stops between batches when told to, and a later sweep finishes the work', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 40);
    for (let i = 0; i < 30; i++)
      await reserveStock(deps, { sku, locationId, quantity: 1, ttlSeconds: 60 }, aPrincipal());
    deps.clock.advance(61_000);
    let batches = 0;

    const first = await sweepExpiredHolds(deps, { batchSize: 2, shouldStop: () => ++batches > 3 });
    const second = await sweepExpiredHolds(deps);

    expect(first.drained).toBe(false);
    expect(first.expired).toBeGreaterThan(0);
    expect(first.expired).toBeLessThan(30);
    expect(first.expired + second.expired).toBe(30);
    expect(second.drained).toBe(true);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 0, available: 40 });
  });
});

describe('inline reclaim', () => {
  it('serves a reserve from holds that expired but were not swept yet', async () => {
    // Prepare: all stock held by a buyer who walked away
    const { sku, locationId } = await aStockedLevel(deps, 2);
    const gone = await reserveStock(deps, { sku, locationId, quantity: 2, ttlSeconds: 60 }, aPrincipal());
    deps.clock.advance(60_001);

    // Act
    const { reservation } = await reserveStock(deps, { sku, locationId, quantity: 2 }, aPrincipal());

    // Assess
    expect(reservation.status).toBe('HELD');
    expect((await getReservation(deps, gone.reservation.reservationId, null)).status).toBe('EXPIRED');
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2, available: 0 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('does not touch a hold that is still live', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 2);
    const live = await reserveStock(deps, { sku, locationId, quantity: 2, ttlSeconds: 60 }, aPrincipal());
    deps.clock.advance(59_000);
    await expect(reserveStock(deps, { sku, locationId, quantity: 1 }, aPrincipal())).rejects.toMatchObject({
      code: 'insufficient-stock',
    });
    expect((await getReservation(deps, live.reservation.reservationId, null)).status).toBe('HELD');
  });
});

describe('reading a level', () => {
  it('tells how much of reserved is held by holds that have already expired', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await reserveStock(deps, { sku, locationId, quantity: 3, ttlSeconds: 60 }, aPrincipal());
    await reserveStock(deps, { sku, locationId, quantity: 4, ttlSeconds: 600 }, aPrincipal());
    deps.clock.advance(61_000);

    const level = await readLevel(deps, sku, locationId);

    expect(level).toMatchObject({ reserved: 7, expiredHeld: { holds: 1, quantity: 3 } });
  });
});

describe('a late confirm', () => {
  it('is refused once the hold has expired, even before the sweeper ran', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 5);
    const owner = aPrincipal();
    const { reservation } = await reserveStock(deps, { sku, locationId, quantity: 2, ttlSeconds: 60 }, owner);
    deps.clock.advance(60_000);
    await expect(
      resolveHold(deps, 'confirm', { reservationId: reservation.reservationId }, owner, owner),
    ).rejects.toBeInstanceOf(HoldExpiredError);
    await sweepExpiredHolds(deps);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 0, committed: 0, available: 5 });
  });
});
