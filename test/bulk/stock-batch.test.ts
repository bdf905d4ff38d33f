import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { problemTypeUri } from '../../shared/platform/http/problem-types.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { useTestApi } from '../api/support/api.js';
import { call, expectProblem } from '../api/support/http.js';
import { aLevel, aNewLocation, anAdmin, aWarehouse } from '../api/support/world.js';
import { aKey, aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const api = useTestApi();

type Result = {
  index: number;
  status: string;
  movementId?: string;
  level?: Record<string, unknown>;
  problem?: { type: string; detail: string; field: string | null };
};
const resultsOf = (body: Record<string, unknown>) => body.results as Result[];

const batch = (token: string, json: unknown) => call(api().url, 'POST', '/stock/batch', { token, json });

describe('a skip-failed-rows batch', () => {
  it('applies each valid row and reports the others with their index and field', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const stocked = await aLevel(api(), 5, aSku(), locationId);
    const fresh = aSku();
    const rows = [
      { op: 'receipt', sku: fresh, locationId, quantity: 7 },
      { op: 'adjustment', sku: stocked.sku, locationId, delta: -9, reason: 'damaged' },
      { op: 'block', sku: stocked.sku, locationId, quantity: 2 },
      { op: 'count', sku: stocked.sku, locationId, onHand: 4, expectedVersion: 99 },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'skip-failed-rows', rows });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    const results = resultsOf(reply.body);
    expect(results.map((r) => r.status)).toEqual(['applied', 'refused', 'applied', 'refused']);
    expect(results[0]?.level).toMatchObject({ sku: fresh, onHand: 7, version: 1 });
    expect(results[0]?.movementId).toEqual(expect.any(String));
    expect(results[1]?.problem).toMatchObject({
      type: problemTypeUri('insufficient-stock'),
      field: 'rows.1.delta',
    });
    expect(results[3]?.problem).toMatchObject({
      type: problemTypeUri('version-conflict'),
      field: 'rows.3.expectedVersion',
    });
    expect(reply.body.counts).toEqual({ rows: 4, applied: 2, replayed: 0, refused: 2 });
    expect(await readLevel(api().deps, stocked.sku, locationId)).toMatchObject({ onHand: 5, unavailable: 2 });
    await expectLevelConsistent(api().deps, stocked.sku, locationId);
    await expectLevelConsistent(api().deps, fresh, locationId);
  });

  it('applies rows on one level in their order', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const sku = aSku();
    const rows = [
      { op: 'receipt', sku, locationId, quantity: 3 },
      { op: 'count', sku, locationId, onHand: 10, expectedVersion: 1 },
      { op: 'adjustment', sku, locationId, delta: -10, reason: 'sold off the books' },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'skip-failed-rows', rows });

    // Assess
    expect(resultsOf(reply.body).map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(await readLevel(api().deps, sku, locationId)).toMatchObject({ onHand: 0, version: 3 });
    await expectLevelConsistent(api().deps, sku, locationId);
  });
});

describe('an all-or-nothing batch', () => {
  it('applies every row in one transaction when none is refused', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const a = await aLevel(api(), 5, aSku(), locationId);
    const b = aSku();
    const rows = [
      { op: 'receipt', sku: b, locationId, quantity: 4 },
      { op: 'count', sku: a.sku, locationId, onHand: 3, expectedVersion: 1, reason: 'stock-take' },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(resultsOf(reply.body).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(resultsOf(reply.body)[1]?.level).toMatchObject({ onHand: 3, version: 2 });
    expect(reply.body.counts).toEqual({ rows: 2, applied: 2, replayed: 0, refused: 0 });
    await expectLevelConsistent(api().deps, a.sku, locationId);
    await expectLevelConsistent(api().deps, b, locationId);
  });

  it('applies nothing when one row is refused, naming that row and its field', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const stocked = await aLevel(api(), 5, aSku(), locationId);
    const fresh = aSku();
    const rows = [
      { op: 'receipt', sku: fresh, locationId, quantity: 4 },
      { op: 'unblock', sku: stocked.sku, locationId, quantity: 1 },
      { op: 'block', sku: aSku(), locationId, quantity: 1 },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows });

    // Assess
    const results = resultsOf(reply.body);
    expect(results.map((r) => r.status)).toEqual(['refused', 'refused', 'refused']);
    expect(results[1]?.problem).toMatchObject({
      type: problemTypeUri('insufficient-stock'),
      field: 'rows.1.quantity',
    });
    expect(results[0]?.problem).toMatchObject({ type: problemTypeUri('business-rule'), field: null });
    expect(results[0]?.problem?.detail).toMatch(/all-or-nothing/);
    expect(reply.body.counts).toEqual({ rows: 3, applied: 0, replayed: 0, refused: 3 });
    expect(await api().deps.levels.getLevel(fresh, locationId)).toBeNull();
    expect(await readLevel(api().deps, stocked.sku, locationId)).toMatchObject({ onHand: 5, version: 1 });
  });

  it('refuses two rows on one level, since one transaction changes each item once', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const sku = aSku();
    const rows = [
      { op: 'receipt', sku, locationId, quantity: 4 },
      { op: 'receipt', sku, locationId, quantity: 1 },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows });

    // Assess
    expect(resultsOf(reply.body)[1]?.problem).toMatchObject({
      type: problemTypeUri('validation-error'),
      field: 'rows.1.sku',
    });
    expect(await api().deps.levels.getLevel(sku, locationId)).toBeNull();
  });

  it('refuses more rows than one transaction holds with 400 naming rows', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const rows = Array.from({ length: 26 }, () => ({ op: 'receipt', sku: aSku(), locationId, quantity: 1 }));

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body.field).toBe('rows');
  });
});

describe('a replayed batch', () => {
  it.each([
    'all-or-nothing',
    'skip-failed-rows',
  ])('answers each keyed row of a %s batch sent twice as replayed and applies nothing twice', async (policy) => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const stocked = await aLevel(api(), 5, aSku(), locationId);
    const fresh = aSku();
    const rows = [
      { op: 'receipt', sku: fresh, locationId, quantity: 4, idempotencyKey: aKey() },
      {
        op: 'adjustment',
        sku: stocked.sku,
        locationId,
        delta: -2,
        reason: 'damaged',
        idempotencyKey: aKey(),
      },
    ];
    const first = await batch(clerk.token, { policy, rows });

    // Act
    const again = await batch(clerk.token, { policy, rows });

    // Assess
    expect(resultsOf(first.body).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(resultsOf(again.body).map((r) => r.status)).toEqual(['replayed', 'replayed']);
    expect(resultsOf(again.body).map((r) => r.movementId)).toEqual(
      resultsOf(first.body).map((r) => r.movementId),
    );
    expect(again.body.counts).toMatchObject({ applied: 0, replayed: 2 });
    expect(await readLevel(api().deps, fresh, locationId)).toMatchObject({ onHand: 4, version: 1 });
    expect(await readLevel(api().deps, stocked.sku, locationId)).toMatchObject({ onHand: 3, version: 2 });
  });

  it('applies the new rows of an all-or-nothing batch whose other rows were applied before, once', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const done = { op: 'receipt', sku: aSku(), locationId, quantity: 4, idempotencyKey: aKey() };
    const fresh = { op: 'receipt', sku: aSku(), locationId, quantity: 6, idempotencyKey: aKey() };
    await batch(clerk.token, { policy: 'all-or-nothing', rows: [done] });

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows: [done, fresh] });

    // Assess
    expect(resultsOf(reply.body).map((r) => r.status)).toEqual(['replayed', 'applied']);
    expect(await readLevel(api().deps, done.sku as Sku, locationId)).toMatchObject({ onHand: 4, version: 1 });
    expect(await readLevel(api().deps, fresh.sku as Sku, locationId)).toMatchObject({ onHand: 6 });
  });
});

describe('authorization per row', () => {
  it('refuses a warehouse row at a location outside its scope and applies the rest under skip-failed-rows', async () => {
    // Prepare
    const mine = await aNewLocation(api());
    const theirs = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [mine]);
    const rows = [
      { op: 'receipt', sku: aSku(), locationId: mine, quantity: 1 },
      { op: 'receipt', sku: aSku(), locationId: theirs, quantity: 1 },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'skip-failed-rows', rows });

    // Assess
    expect(resultsOf(reply.body).map((r) => r.status)).toEqual(['applied', 'refused']);
    expect(resultsOf(reply.body)[1]?.problem).toMatchObject({
      type: problemTypeUri('forbidden'),
      field: 'rows.1.locationId',
    });
    expect(await api().deps.levels.getLevel(rows[1]?.sku as Sku, theirs)).toBeNull();
  });

  it('refuses the whole all-or-nothing batch with 403 naming the row outside the caller scope', async () => {
    // Prepare
    const mine = await aNewLocation(api());
    const theirs = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [mine]);
    const rows = [
      { op: 'receipt', sku: aSku(), locationId: mine, quantity: 1 },
      { op: 'receipt', sku: aSku(), locationId: theirs, quantity: 1 },
    ];

    // Act
    const reply = await batch(clerk.token, { policy: 'all-or-nothing', rows });

    // Assess
    expectProblem(reply, 'forbidden');
    expect(reply.body).toMatchObject({ field: 'rows.1.locationId', locationId: theirs });
    expect(await api().deps.levels.getLevel(rows[0]?.sku as Sku, mine)).toBeNull();
  });

  it('lets an admin act at any location and refuses a storefront caller with 403', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const admin = await anAdmin(api());
    const buyer = await api().token({ sub: 'shop-1', roles: ['storefront'] });
    const rows = [{ op: 'receipt', sku: aSku(), locationId, quantity: 1 }];

    // Act
    const byAdmin = await batch(admin.token, { policy: 'all-or-nothing', rows });
    const byBuyer = await batch(buyer, { policy: 'all-or-nothing', rows });

    // Assess
    expect(resultsOf(byAdmin.body)[0]?.status).toBe('applied');
    expectProblem(byBuyer, 'forbidden');
  });
});

describe('a batch racing single operations on the same levels', () => {
  it('loses no update: the ledger replays to the counters and every applied unit is there', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const skus = [aSku(), aSku(), aSku()];
    for (const sku of skus) await aLevel(api(), 100, sku, locationId);
    const receipt = (sku: Sku) => ({ op: 'receipt', sku, locationId, quantity: 1 });
    const batches = Array.from({ length: 4 }, (_, i) =>
      batch(clerk.token, {
        policy: i % 2 ? 'all-or-nothing' : 'skip-failed-rows',
        rows: skus.map(receipt),
      }),
    );
    const singles = skus.flatMap((sku) =>
      Array.from({ length: 5 }, () =>
        receiveStock(api().deps, { sku, locationId, quantity: 1 }, { actor: WAREHOUSE_CLERK }),
      ),
    );

    // Act
    const replies = await Promise.all(batches);
    await Promise.all(singles);

    // Assess
    const appliedPerSku = (sku: Sku) =>
      replies.flatMap((r) => resultsOf(r.body)).filter((r) => r.status === 'applied' && r.level?.sku === sku)
        .length;
    for (const sku of skus) {
      const level = await expectLevelConsistent(api().deps, sku, locationId as LocationId);
      expect(level?.onHand).toBe(100 + 5 + appliedPerSku(sku));
    }
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
