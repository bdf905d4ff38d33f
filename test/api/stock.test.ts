import { describe, expect, it } from 'vitest';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { aKey, aLocationId, aSku } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aLevel, aNewLocation, anAdmin, aWarehouse } from './support/world.js';

const api = useTestApi();
const levelPath = (l: { sku: string; locationId: string }) => `/skus/${l.sku}/locations/${l.locationId}`;

describe('receiving stock', () => {
  it('adds units on hand, creating the level, and answers the movement and the level', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const level = { sku: aSku(), locationId };

    // Act
    const reply = await call(api().url, 'POST', `${levelPath(level)}/receipts`, {
      token: clerk.token,
      json: { quantity: 12, reason: 'PO arrived', reference: { type: 'purchase-order', id: 'PO-1' } },
    });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.body).toMatchObject({ level: { ...level, onHand: 12, available: 12, version: 1 } });
    expect(reply.body.movementIds).toHaveLength(1);
    await expectLevelConsistent(api().deps, level.sku, locationId);
  });

  it('answers a retry with the same Idempotency-Key and body with the first result, changing nothing', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const path = `${levelPath({ sku: aSku(), locationId })}/receipts`;
    const headers = { 'Idempotency-Key': aKey() };
    const first = await call(api().url, 'POST', path, { token: clerk.token, json: { quantity: 5 }, headers });

    // Act
    const retry = await call(api().url, 'POST', path, { token: clerk.token, json: { quantity: 5 }, headers });

    // Assess
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.body).toMatchObject({ level: { onHand: 5, version: 1 } });
  });

  it('refuses the same Idempotency-Key with another body with 409, changing nothing', async () => {
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const level = { sku: aSku(), locationId };
    const headers = { 'Idempotency-Key': aKey() };
    await call(api().url, 'POST', `${levelPath(level)}/receipts`, {
      token: clerk.token,
      json: { quantity: 5 },
      headers,
    });

    const reply = await call(api().url, 'POST', `${levelPath(level)}/receipts`, {
      token: clerk.token,
      json: { quantity: 6 },
      headers,
    });

    expectProblem(reply, 'idempotency-key-reused');
    expect(await readLevel(api().deps, level.sku, locationId)).toMatchObject({ onHand: 5, version: 1 });
  });

  it('refuses to receive into a location that does not exist with 422', async () => {
    const admin = await anAdmin(api());
    const reply = await call(
      api().url,
      'POST',
      `${levelPath({ sku: aSku(), locationId: aLocationId() })}/receipts`,
      {
        token: admin.token,
        json: { quantity: 1 },
      },
    );
    expectProblem(reply, 'location-inactive');
  });
});

describe('adjusting, counting, blocking', () => {
  it('adjusts on hand by a delta with a reason, and refuses one without a reason', async () => {
    const level = await aLevel(api(), 10);
    const clerk = await aWarehouse(api(), [level.locationId]);

    const adjusted = await call(api().url, 'POST', `${levelPath(level)}/adjustments`, {
      token: clerk.token,
      json: { delta: -3, reason: 'damaged in transit' },
    });
    const noReason = await call(api().url, 'POST', `${levelPath(level)}/adjustments`, {
      token: clerk.token,
      json: { delta: -3 },
    });

    expect(adjusted.status, adjusted.text).toBe(200);
    expect(adjusted.body).toMatchObject({ level: { onHand: 7, available: 7, version: 2 } });
    expectProblem(noReason, 'validation-error');
    expect(noReason.body).toMatchObject({ field: 'reason' });
    await expectLevelConsistent(api().deps, level.sku, level.locationId);
  });

  it('refuses to write off more than is available with 409 and the quantity available', async () => {
    const level = await aLevel(api(), 4);
    const clerk = await aWarehouse(api(), [level.locationId]);
    const reply = await call(api().url, 'POST', `${levelPath(level)}/adjustments`, {
      token: clerk.token,
      json: { delta: -5, reason: 'shrinkage' },
    });
    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({ requested: 5, available: 4 });
  });

  it('sets on hand to a count at the expected version, and refuses a stale version with 409', async () => {
    const level = await aLevel(api(), 10);
    const clerk = await aWarehouse(api(), [level.locationId]);

    const counted = await call(api().url, 'POST', `${levelPath(level)}/counts`, {
      token: clerk.token,
      json: { onHand: 8, expectedVersion: 1, reason: 'cycle count' },
    });
    const stale = await call(api().url, 'POST', `${levelPath(level)}/counts`, {
      token: clerk.token,
      json: { onHand: 9, expectedVersion: 1 },
    });

    expect(counted.status, counted.text).toBe(200);
    expect(counted.body).toMatchObject({ level: { onHand: 8, version: 2 } });
    expectProblem(stale, 'version-conflict');
    expect(stale.body).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
  });

  it('blocks available units and unblocks them, and refuses to unblock more than is blocked', async () => {
    const level = await aLevel(api(), 10);
    const clerk = await aWarehouse(api(), [level.locationId]);

    const blocked = await call(api().url, 'POST', `${levelPath(level)}/blocks`, {
      token: clerk.token,
      json: { quantity: 4, reason: 'quality hold' },
    });
    const unblocked = await call(api().url, 'POST', `${levelPath(level)}/unblocks`, {
      token: clerk.token,
      json: { quantity: 1 },
    });
    const tooMany = await call(api().url, 'POST', `${levelPath(level)}/unblocks`, {
      token: clerk.token,
      json: { quantity: 4 },
    });

    expect(blocked.body).toMatchObject({ level: { unavailable: 4, available: 6 } });
    expect(unblocked.body).toMatchObject({ level: { unavailable: 3, available: 7 } });
    expectProblem(tooMany, 'insufficient-stock');
    expect(tooMany.body).toMatchObject({ bucket: 'unavailable', available: 3 });
    await expectLevelConsistent(api().deps, level.sku, level.locationId);
  });
});

describe('transfers', () => {
  it('moves units between two locations in one step', async () => {
    const from = await aLevel(api(), 10);
    const to = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [from.locationId, to]);

    const reply = await call(api().url, 'POST', `/skus/${from.sku}/transfers`, {
      token: clerk.token,
      json: { from: from.locationId, to, quantity: 4 },
    });

    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ from: { onHand: 6 }, to: { onHand: 4, locationId: to } });
    await expectLevelConsistent(api().deps, from.sku, from.locationId);
    await expectLevelConsistent(api().deps, from.sku, to);
  });

  it('refuses to transfer more than is available at the source with 409, moving nothing', async () => {
    const from = await aLevel(api(), 3);
    const to = await aNewLocation(api());
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', `/skus/${from.sku}/transfers`, {
      token: admin.token,
      json: { from: from.locationId, to, quantity: 4 },
    });
    expectProblem(reply, 'insufficient-stock');
    expect(reply.body).toMatchObject({ locationId: from.locationId, requested: 4, available: 3 });
    expect(await api().deps.levels.getLevel(from.sku, to)).toBeNull();
  });

  it('refuses a transfer to the same location with 400 naming the field', async () => {
    const from = await aLevel(api(), 10);
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'POST', `/skus/${from.sku}/transfers`, {
      token: admin.token,
      json: { from: from.locationId, to: from.locationId, quantity: 1 },
    });
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'to' });
  });

  it('refuses a warehouse a transfer into a location outside its scope with 403', async () => {
    const from = await aLevel(api(), 10);
    const to = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [from.locationId]);
    const reply = await call(api().url, 'POST', `/skus/${from.sku}/transfers`, {
      token: clerk.token,
      json: { from: from.locationId, to, quantity: 1 },
    });
    expectProblem(reply, 'forbidden');
    expect(await readLevel(api().deps, from.sku, from.locationId)).toMatchObject({ onHand: 10, version: 1 });
  });
});

describe('reading levels and movements', () => {
  it('reads a level, and answers 404 for a level that does not exist', async () => {
    const level = await aLevel(api(), 3);
    const admin = await anAdmin(api());
    const found = await call(api().url, 'GET', levelPath(level), { token: admin.token });
    const missing = await call(api().url, 'GET', levelPath({ ...level, sku: aSku() }), {
      token: admin.token,
    });
    expect(found.body).toMatchObject({
      ...level,
      onHand: 3,
      reorderPoint: null,
      updatedAt: expect.any(String),
    });
    expectProblem(missing, 'not-found');
  });

  it('pages through the ledger with a cursor, newest first, and refuses a forged cursor with 400', async () => {
    // Prepare: five movements
    const level = await aLevel(api(), 10);
    const clerk = await aWarehouse(api(), [level.locationId]);
    for (const delta of [1, 2, 3, 4]) {
      await call(api().url, 'POST', `${levelPath(level)}/adjustments`, {
        token: clerk.token,
        json: { delta, reason: 'found' },
      });
    }

    // Act
    const first = await call(api().url, 'GET', `${levelPath(level)}/movements?limit=3`, {
      token: clerk.token,
    });
    const second = await call(
      api().url,
      'GET',
      `${levelPath(level)}/movements?limit=3&cursor=${String(first.body.nextCursor)}`,
      { token: clerk.token },
    );
    const ascending = await call(api().url, 'GET', `${levelPath(level)}/movements?order=asc&limit=1`, {
      token: clerk.token,
    });
    const forged = await call(api().url, 'GET', `${levelPath(level)}/movements?cursor=bm90LWEtY3Vyc29y`, {
      token: clerk.token,
    });

    // Assess
    const deltas = (reply: typeof first) =>
      (reply.body.movements as Array<{ delta: { onHand: number } }>).map((m) => m.delta.onHand);
    expect(deltas(first)).toEqual([4, 3, 2]);
    expect(deltas(second)).toEqual([1, 10]);
    expect(second.body.nextCursor).toBeNull();
    expect(deltas(ascending)).toEqual([10]);
    expectProblem(forged, 'validation-error');
    expect(forged.body).toMatchObject({ field: 'cursor' });
  });
});

describe('sharding a level (admin)', () => {
  it('splits it into sub-counters with the same totals, and merges it back', async () => {
    // Prepare
    const level = await aLevel(api(), 12);
    const admin = await anAdmin(api());

    // Act
    const split = await call(api().url, 'POST', `${levelPath(level)}/shards`, {
      token: admin.token,
      json: { shards: 4 },
    });
    const merged = await call(api().url, 'POST', `${levelPath(level)}/shards`, {
      token: admin.token,
      json: { shards: 1 },
    });

    // Assess
    expect(split.status, split.text).toBe(200);
    expect(split.body).toMatchObject({ onHand: 12, available: 12, shards: 4 });
    expect(merged.body).toMatchObject({ onHand: 12, available: 12, shards: 1 });
    await expectLevelConsistent(api().deps, level.sku, level.locationId);
  });

  it('refuses a shard count out of bounds with 400 naming the field, and an unknown level with 404', async () => {
    const level = await aLevel(api(), 3);
    const admin = await anAdmin(api());
    for (const shards of [0, 65, 2.5, '4']) {
      const reply = await call(api().url, 'POST', `${levelPath(level)}/shards`, {
        token: admin.token,
        json: { shards },
      });
      expectProblem(reply, 'validation-error');
      expect(reply.text).toContain('shards');
    }
    const unknown = await call(
      api().url,
      'POST',
      `${levelPath({ sku: aSku(), locationId: level.locationId })}/shards`,
      {
        token: admin.token,
        json: { shards: 2 },
      },
    );
    expectProblem(unknown, 'not-found');
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({ shards: 1, version: 1 });
  });
});
