import { describe, expect, it } from 'vitest';
import { changeFeedServices } from '../../infra/local/background-services.js';
import type { StreamEventSource } from '../../infra/local/stream-event-source.js';
import { aggregateChanges } from '../../shared/analytics/use-cases/aggregate-changes.js';
import { appendLevelChanges } from '../../shared/changes/use-cases/append-level-changes.js';
import { reclaimExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { type LocationId, parsePrincipalId, type Sku } from '../../shared/kernel/identifiers.js';
import { createLocation } from '../../shared/locations/use-cases/locations.js';
import { testDeps } from '../support/dynamo.js';
import { aLocationId, aSku } from '../support/fixtures.js';
import { recordStream } from '../support/stream.js';
import { type TestApi, useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { type Actor, aBuyer, anAdmin, anAnalyst, aWarehouse } from './support/world.js';

/**
 * The analytics aggregates over HTTP on the local runtime, maintained by the consumer `npm start` runs: the
 * change feed's writer on the table's stream, which aggregates the feed after each append.
 */
const api = useTestApi(
  {},
  { services: (table) => changeFeedServices({ dynamoEndpoint: table.endpoint, tableName: table.tableName }) },
);

const HOUR = 3_600_000;

async function settle(a: TestApi): Promise<void> {
  const [writer] = a.services as [StreamEventSource];
  await writer.drain();
}

interface Point {
  hour: string;
  onHand: number;
  available: number;
  held: number;
  changes: number;
  holdsCreated: number;
  holdsConfirmed: number;
  holdsReleased: number;
  holdsExpired: number;
  unitsReserved: number;
  sellOuts: number;
  holdToConfirmRate: number | null;
  hoursToSellOut: number | null;
}

interface Series {
  series: Point[];
  freshness: { aggregatedThrough: number; feedHead: number };
}

/** From the hour before this one to three hours on (the expiry is made an hour ahead). */
function aroundNow() {
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  return { from: new Date(hour - HOUR).toISOString(), to: new Date(hour + 3 * HOUR).toISOString() };
}

async function series(a: TestApi, who: Actor, path: string, range = aroundNow()): Promise<Series> {
  const reply = await call(a.url, 'GET', `${path}?from=${range.from}&to=${range.to}&granularity=hour`, {
    token: who.token,
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.body as unknown as Series;
}

const total = (s: Series, key: keyof Point) => s.series.reduce((sum, p) => sum + Number(p[key]), 0);

async function aLocationIn(a: TestApi, region: string): Promise<LocationId> {
  const locationId = aLocationId();
  await createLocation(a.deps, { locationId, name: 'Site', region, ownerId: parsePrincipalId('vendor-1') });
  return locationId;
}

interface Story {
  region: string;
  here: LocationId;
  there: LocationId;
  tees: Sku;
  caps: Sku;
}

/**
 * At `here`: 20 tees and 1 cap received; five holds (2 tees each for four, the one cap); two confirmed, one
 * released, one left held; the cap's hold expires an hour later. At `there`, in the same region: 7 tees.
 */
async function theStory(a: TestApi): Promise<Story> {
  const region = `rg-${Date.now().toString(36)}`;
  const here = await aLocationIn(a, region);
  const there = await aLocationIn(a, region);
  const tees = aSku();
  const caps = aSku();
  const clerk = await aWarehouse(a, [here, there]);
  const buyer = await aBuyer(a);
  const post = async (path: string, json: unknown, who: Actor, status = 200) => {
    const reply = await call(a.url, 'POST', path, { token: who.token, json });
    expect(reply.status, reply.text).toBe(status);
    return reply.body;
  };
  await post(`/skus/${tees}/locations/${here}/receipts`, { quantity: 20 }, clerk);
  await post(`/skus/${caps}/locations/${here}/receipts`, { quantity: 1 }, clerk);
  await post(`/skus/${tees}/locations/${there}/receipts`, { quantity: 7 }, clerk);
  const holds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const body = await post('/reservations', { sku: tees, locationId: here, quantity: 2 }, buyer, 201);
    holds.push(String(body.reservationId));
  }
  await post('/reservations', { sku: caps, locationId: here, quantity: 1 }, buyer, 201);
  await post(`/reservations/${holds[0]}/confirm`, {}, buyer);
  await post(`/reservations/${holds[1]}/confirm`, {}, buyer);
  await post(`/reservations/${holds[2]}/release`, {}, buyer);
  const anHourLater = testDeps(a.table, a.config.holdPolicy, new ManualClock(Date.now() + HOUR));
  await reclaimExpiredHolds(anHourLater, caps, here);
  return { region, here, there, tees, caps };
}

describe('GET /analytics', () => {
  it("counts a location's holds per hour and carries its stock figures, after a known story", async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const story = await theStory(api());

    // Act
    await settle(api());
    const here = await series(api(), analyst, `/analytics/locations/${story.here}`);

    // Assess: 20 + 1 on hand; held: the one tee hold left (2); committed 4; available 21 - 2 - 4
    expect(here.series).toHaveLength(4);
    expect(here.series.at(-1)).toMatchObject({ onHand: 21, held: 2, available: 15 });
    expect(total(here, 'holdsCreated')).toBe(5);
    expect(total(here, 'holdsConfirmed')).toBe(2);
    expect(total(here, 'holdsReleased')).toBe(1);
    expect(total(here, 'holdsExpired')).toBe(1);
    expect(total(here, 'unitsReserved')).toBe(9);
    expect(total(here, 'sellOuts')).toBe(1);
    expect(total(here, 'changes')).toBe(11);
    const busy = here.series.filter((p) => p.holdsCreated > 0);
    expect(busy).toEqual([
      expect.objectContaining({ holdsCreated: 5, holdsConfirmed: 2, holdToConfirmRate: 0.4 }),
    ]);
    expect(here.series[0]).toMatchObject({
      onHand: 0,
      changes: 0,
      holdToConfirmRate: null,
      hoursToSellOut: null,
    });
    expect(here.freshness.aggregatedThrough).toBe(here.freshness.feedHead);
  });

  it('rolls a region up over its locations', async () => {
    // Prepare
    const admin = await anAdmin(api());
    const story = await theStory(api());

    // Act
    await settle(api());
    const region = await series(api(), admin, `/analytics/regions/${story.region}`);

    // Assess
    expect(region.series.at(-1)).toMatchObject({ onHand: 28, held: 2, available: 22 });
    expect(total(region, 'holdsCreated')).toBe(5);
    expect(total(region, 'changes')).toBe(12);
  });

  it('is unchanged when the stream delivers every record again, in reverse order, and the aggregation is woken again', async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const stream = await recordStream(api().table);
    const story = await theStory(api());
    await settle(api());
    const before = await series(api(), analyst, `/analytics/locations/${story.here}`);
    const records = await stream.next();
    await stream.stop();

    // Act
    const redelivered = await appendLevelChanges(api().deps, [...records].reverse());
    await appendLevelChanges(api().deps, records);
    await aggregateChanges(api().deps);
    await aggregateChanges(api().deps);
    await settle(api());
    const after = await series(api(), analyst, `/analytics/locations/${story.here}`);

    // Assess
    expect(redelivered.appended).toBe(0);
    expect(redelivered.duplicates).toBeGreaterThanOrEqual(11);
    expect(after.series).toEqual(before.series);
    expect(total(after, 'holdsCreated')).toBe(5);
  });

  it('answers 404 for a location or a region that does not exist, rather than a series of zeros', async () => {
    // Prepare
    const analyst = await anAnalyst(api());
    const range = aroundNow();

    // Act
    const location = await call(
      api().url,
      'GET',
      `/analytics/locations/${aLocationId()}?from=${range.from}&to=${range.to}`,
      {
        token: analyst.token,
      },
    );
    const region = await call(
      api().url,
      'GET',
      `/analytics/regions/nowhere-9?from=${range.from}&to=${range.to}`,
      {
        token: analyst.token,
      },
    );

    // Assess
    expectProblem(location, 'not-found');
    expectProblem(region, 'not-found');
  });

  it.each([
    ['to before from', 'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['a range over 744 hours', 'from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'to'],
    ['a from that is no time', 'from=yesterday&to=2026-01-01T00:00:00Z', 'from'],
    [
      'a granularity other than hour',
      'from=2026-01-01T00:00:00Z&to=2026-01-01T03:00:00Z&granularity=day',
      'granularity',
    ],
  ])('refuses %s with 400 naming the field', async (_, query, field) => {
    // Prepare
    const analyst = await anAnalyst(api());
    const locationId = await aLocationIn(api(), 'eu-west-1');

    // Act
    const reply = await call(api().url, 'GET', `/analytics/locations/${locationId}?${query}`, {
      token: analyst.token,
    });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body).toMatchObject({ field });
  });
});
