import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import type { LocationId, PrincipalId, Sku } from '../../shared/kernel/identifiers.js';
import { ulidSource } from '../../shared/kernel/ids.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { aKey, aSku } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aConfirmedHold, aHold, aLevel, anAdmin, aWarehouse } from './support/world.js';

/** Tight limits so that the abuse caps and expiry can be seen in a few requests. */
const api = useTestApi({
  MAX_HOLD_QUANTITY: '50',
  MAX_ACTIVE_HOLDS_PER_CALLER: '3',
  HOLD_TTL_MIN_SECONDS: '1',
  HOLD_TTL_MAX_SECONDS: '60',
  HOLD_TTL_DEFAULT_SECONDS: '30',
  HOLD_MAX_SECONDS: '60',
});

/**
 * A hold made `secondsAgo` before now (the handlers run on the real clock, which a test cannot move), through
 * the use case with a clock set back, so that a test needs no sleep to stand after its expiry or its creation.
 */
async function aHoldMadeSecondsAgo(
  secondsAgo: number,
  owner: PrincipalId,
  level: { sku: Sku; locationId: LocationId },
  ttlSeconds: number,
): Promise<string> {
  const then = new ManualClock(Date.now() - secondsAgo * 1000);
  const deps = { ...api().deps, clock: then, ids: ulidSource(then) };
  const { reservation } = await reserveStock(deps, { ...level, quantity: 1, ttlSeconds }, owner);
  return reservation.reservationId;
}

describe('reserve', () => {
  it('holds units for the caller: 201, a Location, and the level shows them reserved', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api(), 'alice');

    // Act
    const reply = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 3, ttlSeconds: 20, reference: 'checkout-42' },
    });

    // Assess
    expect(reply.status, reply.text).toBe(201);
    expect(reply.headers.get('location')).toBe(`/reservations/${String(reply.body.reservationId)}`);
    expect(reply.body).toMatchObject({
      ...level,
      quantity: 3,
      status: 'HELD',
      ownerId: alice.sub,
      reference: 'checkout-42',
    });
    expect(Date.parse(String(reply.body.expiresAt)) - Date.parse(String(reply.body.createdAt))).toBe(20_000);
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      reserved: 3,
      available: 7,
    });
    await expectLevelConsistent(api().deps, level.sku, level.locationId);
  });

  it('refuses to oversell with 409, the quantity available and the locations that have it', async () => {
    // Prepare
    const sku = aSku();
    const short = await aLevel(api(), 2, sku);
    const plenty = await aLevel(api(), 9, sku);
    const alice = await aBuyer(api());

    // Act
    const reply = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...short, quantity: 5 },
    });

    // Assess
    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({
      sku,
      locationId: short.locationId,
      requested: 5,
      available: 2,
      alternatives: [{ locationId: plenty.locationId, available: 9 }],
    });
    expect(await readLevel(api().deps, sku, short.locationId)).toMatchObject({ reserved: 0, version: 1 });
  });

  it('answers a retry with the same Idempotency-Key with the same hold, marked as replayed, holding nothing more', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const headers = { 'Idempotency-Key': aKey() };
    const first = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 2 },
      headers,
    });

    const retry = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 2 },
      headers,
    });
    const other = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 3 },
      headers,
    });

    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expectProblem(other, 'idempotency-key-reused');
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ reserved: 2 });
  });

  it('refuses a storefront hold above the per-hold quantity limit with 422', async () => {
    const level = await aLevel(api(), 100);
    const alice = await aBuyer(api());
    const reply = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 51 },
    });
    expectProblem(reply, 'hold-quantity-exceeded');
    expect(reply.body).toMatchObject({ maxQuantity: 50, field: 'quantity' });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ reserved: 0 });
  });

  it('refuses a storefront a fourth live hold with 422, and takes one again once a hold is released', async () => {
    // Prepare: three live holds, the cap
    const level = await aLevel(api(), 100);
    const alice = await aBuyer(api());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call(api().url, 'POST', '/reservations', {
        token: alice.token,
        json: { ...level, quantity: 1 },
      });
      ids.push(String(reply.body.reservationId));
    }

    // Act
    const fourth = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 1 },
    });
    await call(api().url, 'POST', `/reservations/${ids[0]}/release`, { token: alice.token });
    const afterRelease = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 1 },
    });

    // Assess
    expectProblem(fourth, 'hold-limit-exceeded');
    expect(afterRelease.status, afterRelease.text).toBe(201);
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ reserved: 3 });
  });

  it('lets an admin hold without the storefront caps', async () => {
    const level = await aLevel(api(), 100);
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', '/reservations', {
      token: admin.token,
      json: { ...level, quantity: 80 },
    });
    expect(reply.status, reply.text).toBe(201);
  });

  it('refuses a TTL outside the hold policy with 400 naming ttlSeconds', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const reply = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 1, ttlSeconds: 61 },
    });
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'ttlSeconds' });
  });
});

describe('a hold through its life', () => {
  it('is read, extended, confirmed and fulfilled by its owner, and the ledger explains every step', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const held = await call(api().url, 'POST', '/reservations', {
      token: alice.token,
      json: { ...level, quantity: 4, ttlSeconds: 10 },
    });
    const path = `/reservations/${String(held.body.reservationId)}`;

    // Act
    const read = await call(api().url, 'GET', path, { token: alice.token });
    const extended = await call(api().url, 'POST', `${path}/extend`, {
      token: alice.token,
      json: { ttlSeconds: 30 },
    });
    const confirmed = await call(api().url, 'POST', `${path}/confirm`, { token: alice.token });
    const fulfilled = await call(api().url, 'POST', `${path}/fulfill`, {
      token: alice.token,
      json: { reason: 'shipped' },
    });

    // Assess
    expect(read.body).toEqual(held.body);
    expect(Date.parse(String(extended.body.expiresAt))).toBeGreaterThan(
      Date.parse(String(held.body.expiresAt)),
    );
    expect(confirmed.body).toMatchObject({ status: 'CONFIRMED' });
    expect(fulfilled.body).toMatchObject({ status: 'FULFILLED', resolvedAt: expect.any(String) });
    const after = await expectLevelConsistent(api().deps, level.sku, level.locationId);
    expect(after).toMatchObject({ onHand: 6, reserved: 0, committed: 0, available: 6 });
  });

  it('answers a second confirm as a replay and a release after confirm with 409', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const id = await aHold(api(), alice.sub, level, 2);
    await call(api().url, 'POST', `/reservations/${id}/confirm`, { token: alice.token });

    const again = await call(api().url, 'POST', `/reservations/${id}/confirm`, { token: alice.token });
    const release = await call(api().url, 'POST', `/reservations/${id}/release`, { token: alice.token });

    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(release, 'hold-already-resolved');
    expect(release.body).toMatchObject({ reservationStatus: 'CONFIRMED' });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      committed: 2,
      reserved: 0,
      version: 3,
    });
  });

  it('refuses to fulfil or cancel a hold that is not confirmed yet with 409', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const id = await aHold(api(), alice.sub, level, 2);
    const fulfil = await call(api().url, 'POST', `/reservations/${id}/fulfill`, { token: alice.token });
    const cancel = await call(api().url, 'POST', `/reservations/${id}/cancel`, { token: alice.token });
    expectProblem(fulfil, 'hold-already-resolved');
    expectProblem(cancel, 'hold-already-resolved');
    expect(fulfil.body).toMatchObject({ reservationStatus: 'HELD' });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      reserved: 2,
      onHand: 10,
    });
  });

  it('releases a hold, giving its units back', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const id = await aHold(api(), alice.sub, level, 4);
    const reply = await call(api().url, 'POST', `/reservations/${id}/release`, {
      token: alice.token,
      json: { reason: 'cart abandoned' },
    });
    expect(reply.body).toMatchObject({ status: 'RELEASED' });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      available: 10,
      reserved: 0,
    });
  });

  it('cancels a confirmed order line, giving its units back', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const id = await aConfirmedHold(api(), alice.sub, level, 3);
    const reply = await call(api().url, 'POST', `/reservations/${id}/cancel`, { token: alice.token });
    expect(reply.body).toMatchObject({ status: 'CANCELLED' });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      available: 10,
      committed: 0,
    });
  });

  it('refuses to confirm or extend an expired hold with 409', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const expiredFiveSecondsAgo = await aHoldMadeSecondsAgo(6, alice.sub, level, 1);

    const path = `/reservations/${expiredFiveSecondsAgo}`;
    const confirm = await call(api().url, 'POST', `${path}/confirm`, { token: alice.token });
    const extend = await call(api().url, 'POST', `${path}/extend`, {
      token: alice.token,
      json: { ttlSeconds: 30 },
    });

    expectProblem(confirm, 'hold-expired');
    expectProblem(extend, 'hold-expired');
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      reserved: 1,
      committed: 0,
    });
  });

  it('refuses to extend a hold past its maximum hold time with 422', async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    // Made 1 s ago with the maximum hold time 60 s: extending by 60 s from now would end 61 s after it was made.
    const id = await aHoldMadeSecondsAgo(1, alice.sub, level, 30);
    const reply = await call(api().url, 'POST', `/reservations/${id}/extend`, {
      token: alice.token,
      json: { ttlSeconds: 60 },
    });
    expectProblem(reply, 'hold-max-duration');
  });

  it("answers another buyer's reservation exactly like a missing one: 404 on every route", async () => {
    const level = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const bob = await aBuyer(api());
    const id = await aHold(api(), alice.sub, level);

    const replies = await Promise.all([
      call(api().url, 'GET', `/reservations/${id}`, { token: bob.token }),
      ...['extend', 'release', 'confirm', 'fulfill', 'cancel'].map((verb) =>
        call(api().url, 'POST', `/reservations/${id}/${verb}`, { token: bob.token }),
      ),
      call(api().url, 'GET', '/reservations/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: bob.token }),
    ]);

    for (const reply of replies) expectProblem(reply, 'not-found');
    expect(new Set(replies.map((r) => r.body.title))).toEqual(new Set(['Not found']));
    expect(await api().deps.holds.getReservation(id as never)).toMatchObject({ status: 'HELD' });
  });

  it('lets a warehouse fulfil a confirmed hold at its location, and not one elsewhere', async () => {
    const here = await aLevel(api(), 10);
    const elsewhere = await aLevel(api(), 10);
    const alice = await aBuyer(api());
    const clerk = await aWarehouse(api(), [here.locationId]);
    const ours = await aConfirmedHold(api(), alice.sub, here);
    const theirs = await aConfirmedHold(api(), alice.sub, elsewhere);

    const shipped = await call(api().url, 'POST', `/reservations/${ours}/fulfill`, { token: clerk.token });
    const refused = await call(api().url, 'POST', `/reservations/${theirs}/fulfill`, { token: clerk.token });

    expect(shipped.body).toMatchObject({ status: 'FULFILLED' });
    expectProblem(refused, 'not-found');
  });
});
