import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { setReplenishmentPolicy } from '../../shared/replenishment/use-cases/replenishment.js';
import { receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { type TestApi, useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aHold, aLevel, aNewLocation, anAdmin, aWarehouse } from './support/world.js';

/**
 * The low-stock report follows the levels' alert state, which the stream's enrichment records: these tests run
 * the event pipeline and drain it before reading the report.
 */
const api = useTestApi({}, { events: { intervalMs: 200 } });

const drain = async (test: TestApi) => {
  if (!test.events) throw new Error('no event pipeline');
  await test.events.drain();
};

/** A level of 10 units with reorder point 5, then `reserve` units held by a buyer. */
async function aLevelReservedDownTo(locationId: LocationId, reserve: number, sku: Sku = aSku()) {
  await aLevel(api(), 10, sku, locationId);
  await setReplenishmentPolicy(
    api().deps,
    { sku, locationId, reorderPoint: 5, reorderQuantity: 0 },
    { actor: WAREHOUSE_CLERK },
  );
  const buyer = await aBuyer(api());
  if (reserve > 0) await aHold(api(), buyer.sub, { sku, locationId }, reserve);
  return sku;
}

const skusOf = (body: Record<string, unknown>) =>
  (body.levels as { sku: string; locationId: string }[]).map((l) => `${l.locationId}/${l.sku}`);

describe('GET /reports/low-stock', () => {
  it("lists the levels below their reorder point or out of stock, at a warehouse's own locations only", async () => {
    // Prepare
    const mine = await aNewLocation(api());
    const theirs = await aNewLocation(api());
    const low = await aLevelReservedDownTo(mine, 6);
    const out = await aLevelReservedDownTo(mine, 10);
    await aLevelReservedDownTo(mine, 2);
    const elsewhere = await aLevelReservedDownTo(theirs, 7);
    await drain(api());
    const clerk = await aWarehouse(api(), [mine]);
    const admin = await anAdmin(api());

    // Act
    const own = await call(api().url, 'GET', '/reports/low-stock', { token: clerk.token });
    const all = await call(api().url, 'GET', '/reports/low-stock?limit=100', { token: admin.token });
    const notMine = await call(api().url, 'GET', `/reports/low-stock?locationId=${theirs}`, {
      token: clerk.token,
    });

    // Assess
    expect(own.status, own.text).toBe(200);
    expect(skusOf(own.body)).toEqual([`${mine}/${low}`, `${mine}/${out}`].sort());
    expect(own.body.levels).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: out, available: 0 })]),
    );
    expect(skusOf(all.body)).toEqual(expect.arrayContaining([`${mine}/${low}`, `${theirs}/${elsewhere}`]));
    expectProblem(notMine, 'forbidden');
  });

  it('drops a level once it is restocked above its reorder point', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const sku = await aLevelReservedDownTo(locationId, 8);
    await drain(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const before = await call(api().url, 'GET', '/reports/low-stock', { token: clerk.token });

    // Act
    await receiveStock(api().deps, { sku, locationId, quantity: 20 }, { actor: WAREHOUSE_CLERK });
    await drain(api());
    const after = await call(api().url, 'GET', '/reports/low-stock', { token: clerk.token });

    // Assess
    expect(skusOf(before.body)).toEqual([`${locationId}/${sku}`]);
    expect(after.body).toEqual({ levels: [], nextCursor: null });
  });

  it('pages across locations to the end, each low level once', async () => {
    // Prepare
    const locations = [await aNewLocation(api()), await aNewLocation(api()), await aNewLocation(api())];
    const expected: string[] = [];
    for (const locationId of locations) {
      for (let i = 0; i < 3; i++) expected.push(`${locationId}/${await aLevelReservedDownTo(locationId, 9)}`);
    }
    await drain(api());
    const clerk = await aWarehouse(api(), locations);

    // Act
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await call(
        api().url,
        'GET',
        `/reports/low-stock?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: clerk.token },
      );
      expect(reply.status, reply.text).toBe(200);
      seen.push(...skusOf(reply.body));
      cursor = reply.body.nextCursor as string | null;
      pages += 1;
    } while (cursor !== null && pages < 20);

    // Assess
    expect(seen).toEqual([...expected].sort());
    expect(pages).toBeGreaterThanOrEqual(5);
  });

  it('refuses a cursor it did not give with a 400 naming cursor', async () => {
    // Prepare
    const admin = await anAdmin(api());
    const forged = Buffer.from(JSON.stringify({ a: 1, l: 'WH-1' })).toString('base64url');

    // Act
    const reply = await call(api().url, 'GET', `/reports/low-stock?cursor=${forged}`, { token: admin.token });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'cursor' });
  });
});
