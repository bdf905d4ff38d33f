import { describe, expect, it } from 'vitest';
import { updateLocation } from '../../shared/locations/use-cases/locations.js';
import { MAX_BATCH_SKUS } from '../../shared/stock/http/availability-schemas.js';
import { aLocation, aLocationId, aSku } from '../support/fixtures.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aHold, aLevel } from './support/world.js';

const api = useTestApi();

describe('availability', () => {
  it("sums a SKU's available units over its locations, net of holds, and shows nothing else", async () => {
    // Prepare
    const sku = aSku();
    const a = await aLevel(api(), 10, sku);
    const b = await aLevel(api(), 4, sku);
    const alice = await aBuyer(api());
    await aHold(api(), alice.sub, a, 3);

    // Act
    const reply = await call(api().url, 'GET', `/skus/${sku}/availability`, { token: alice.token });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.sku).toBe(sku);
    expect(reply.body.available).toBe(11);
    expect(reply.body.locations).toEqual(
      expect.arrayContaining([
        { locationId: a.locationId, available: 7 },
        { locationId: b.locationId, available: 4 },
      ]),
    );
    expect(reply.text).not.toContain('onHand');
  });

  it('answers 404 unknown-sku naming the SKU when no location has a level of it, so a typo is not "out of stock"', async () => {
    // Prepare
    const alice = await aBuyer(api());
    const sku = aSku();

    // Act
    const reply = await call(api().url, 'GET', `/skus/${sku}/availability`, { token: alice.token });

    // Assess
    expectProblem(reply, 'unknown-sku');
    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ sku, detail: `no location has a level of SKU ${sku}` });
  });

  it('answers zero, not 404, for a SKU whose levels are all sold out', async () => {
    // Prepare
    const level = await aLevel(api(), 2);
    const alice = await aBuyer(api());
    await aHold(api(), alice.sub, level, 2);

    // Act
    const reply = await call(api().url, 'GET', `/skus/${level.sku}/availability`, { token: alice.token });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual({
      sku: level.sku,
      available: 0,
      locations: [{ locationId: level.locationId, available: 0 }],
      regions: [{ region: 'eu-west-1', available: 0, locations: [level.locationId] }],
    });
  });

  it('answers a batch of SKUs once each, in the order asked, marking an unknown SKU as unknown', async () => {
    // Prepare
    const first = await aLevel(api(), 5);
    const second = await aLevel(api(), 8);
    const unknown = aSku();
    const alice = await aBuyer(api());

    // Act
    const reply = await call(api().url, 'POST', '/availability/batch', {
      token: alice.token,
      json: { skus: [second.sku, unknown, first.sku, second.sku] },
    });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    const items = reply.body.items as Array<Record<string, unknown>>;
    expect(items.map((i) => [i.sku, i.available])).toEqual([
      [second.sku, 8],
      [unknown, undefined],
      [first.sku, 5],
    ]);
    expect(items[1]).toEqual({ sku: unknown, unknown: true });
  });

  it(`refuses a batch of more than ${MAX_BATCH_SKUS} SKUs, or none, with 400 naming skus`, async () => {
    const alice = await aBuyer(api());
    const tooMany = Array.from({ length: MAX_BATCH_SKUS + 1 }, () => aSku());
    for (const skus of [tooMany, []]) {
      const reply = await call(api().url, 'POST', '/availability/batch', {
        token: alice.token,
        json: { skus },
      });
      expectProblem(reply, 'validation-error');
      expect(reply.body).toMatchObject({ field: 'skus' });
    }
  });

  it('names the offending SKU of a batch by its position', async () => {
    const alice = await aBuyer(api());
    const reply = await call(api().url, 'POST', '/availability/batch', {
      token: alice.token,
      json: { skus: [aSku(), 'no spaces allowed'] },
    });
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field: 'skus.1' });
  });

  it('rolls a SKU up by the region of each location, and narrows the answer to one region when asked', async () => {
    // Prepare
    const sku = aSku();
    const west = await aLevel(api(), 3, sku);
    const north = await aLocation(api().deps, aLocationId());
    await updateLocation(api().deps, north, { region: 'eu-north-1' }, null);
    const northLevel = await aLevel(api(), 5, sku, north);
    const alice = await aBuyer(api());

    // Act
    const all = await call(api().url, 'GET', `/skus/${sku}/availability`, { token: alice.token });
    const narrowed = await call(api().url, 'GET', `/skus/${sku}/availability?region=eu-north-1`, {
      token: alice.token,
    });
    const typo = await call(api().url, 'GET', `/skus/${sku}/availability?region=eu-nrth-1`, {
      token: alice.token,
    });

    // Assess
    expect(all.status, all.text).toBe(200);
    expect(all.body.available).toBe(8);
    expect(all.body.regions).toEqual([
      { region: 'eu-north-1', available: 5, locations: [northLevel.locationId] },
      { region: 'eu-west-1', available: 3, locations: [west.locationId] },
    ]);
    expect(narrowed.body).toEqual({
      sku,
      available: 5,
      locations: [{ locationId: north, available: 5 }],
      regions: [{ region: 'eu-north-1', available: 5, locations: [north] }],
    });
    expectProblem(typo, 'validation-error');
    expect(typo.body).toMatchObject({ field: 'region' });
  });
});
