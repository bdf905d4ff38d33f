import { describe, expect, it } from 'vitest';
import { aLocationId } from '../support/fixtures.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem } from './support/http.js';
import { aBuyer, aNewLocation, anAdmin, aWarehouse } from './support/world.js';

const api = useTestApi();

describe('locations', () => {
  it('lets an admin create a location, owned by the caller unless said otherwise', async () => {
    const admin = await anAdmin(api());
    const locationId = aLocationId();

    const reply = await call(api().url, 'POST', '/locations', {
      token: admin.token,
      json: {
        locationId,
        name: 'Lyon hub',
        region: 'eu-west-3',
        coordinates: { latitude: 45.76, longitude: 4.83 },
      },
    });

    expect(reply.status, reply.text).toBe(201);
    expect(reply.headers.get('location')).toBe(`/locations/${locationId}`);
    expect(reply.body).toMatchObject({
      locationId,
      ownerId: admin.sub,
      priority: 100,
      active: true,
      version: 1,
    });
  });

  it('refuses to create a location twice with 409', async () => {
    const admin = await anAdmin(api());
    const locationId = await aNewLocation(api());
    const reply = await call(api().url, 'POST', '/locations', {
      token: admin.token,
      json: { locationId, name: 'again', region: 'eu-west-1' },
    });
    expectProblem(reply, 'already-exists');
  });

  it('lists and reads locations for every role', async () => {
    const locationId = await aNewLocation(api());
    const alice = await aBuyer(api());
    const list = await call(api().url, 'GET', '/locations', { token: alice.token });
    const one = await call(api().url, 'GET', `/locations/${locationId}`, { token: alice.token });
    const missing = await call(api().url, 'GET', `/locations/${aLocationId()}`, { token: alice.token });
    expect((list.body.locations as Array<{ locationId: string }>).map((l) => l.locationId)).toContain(
      locationId,
    );
    expect(one.body).toMatchObject({ locationId });
    expectProblem(missing, 'not-found');
  });

  it('lets a warehouse update its own location, guarded by version, and deactivate it', async () => {
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);

    const renamed = await call(api().url, 'PATCH', `/locations/${locationId}`, {
      token: clerk.token,
      json: { name: 'Renamed', priority: 5, expectedVersion: 1 },
    });
    const stale = await call(api().url, 'PATCH', `/locations/${locationId}`, {
      token: clerk.token,
      json: { active: false, expectedVersion: 1 },
    });
    const deactivated = await call(api().url, 'PATCH', `/locations/${locationId}`, {
      token: clerk.token,
      json: { active: false, coordinates: null },
    });

    expect(renamed.body).toMatchObject({ name: 'Renamed', priority: 5, version: 2 });
    expectProblem(stale, 'version-conflict');
    expect(deactivated.body).toMatchObject({ active: false, coordinates: null, version: 3 });
  });

  it("refuses a warehouse another location's update with 403, and an empty update with 400", async () => {
    const mine = await aNewLocation(api());
    const theirs = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [mine]);
    const forbidden = await call(api().url, 'PATCH', `/locations/${theirs}`, {
      token: clerk.token,
      json: { name: 'x' },
    });
    const empty = await call(api().url, 'PATCH', `/locations/${mine}`, { token: clerk.token, json: {} });
    expectProblem(forbidden, 'forbidden');
    expectProblem(empty, 'validation-error');
  });

  it('answers 404 for an update of a location that does not exist', async () => {
    const admin = await anAdmin(api());
    const reply = await call(api().url, 'PATCH', `/locations/${aLocationId()}`, {
      token: admin.token,
      json: { name: 'x' },
    });
    expectProblem(reply, 'not-found');
  });

  it.each([
    { sent: [1e-131, -1e-131], stored: [0, 0] },
    { sent: [-0, 1e-300], stored: [0, 0] },
    { sent: [45.12345678901234, 4.83000004999], stored: [45.1234568, 4.83] },
    { sent: [-89.99999999, 179.99999996], stored: [-90, 180] },
  ])('stores coordinates $sent rounded to 7 decimals, as $stored, on create and on update', async ({
    sent,
    stored,
  }) => {
    // Prepare
    const admin = await anAdmin(api());
    const created = aLocationId();
    const updated = await aNewLocation(api());
    // Written out, so that numbers JSON.stringify would alter (-0) reach the server as they are.
    const json = (n: number) => (Object.is(n, -0) ? '-0' : String(n));
    const coordinates = `{"latitude":${json(sent[0] as number)},"longitude":${json(sent[1] as number)}}`;
    const expected = { latitude: stored[0], longitude: stored[1] };

    // Act
    const create = await call(api().url, 'POST', '/locations', {
      token: admin.token,
      raw: `{"locationId":"${created}","name":"n","region":"r","coordinates":${coordinates}}`,
      headers: { 'content-type': 'application/json' },
    });
    const update = await call(api().url, 'PATCH', `/locations/${updated}`, {
      token: admin.token,
      raw: `{"coordinates":${coordinates}}`,
      headers: { 'content-type': 'application/json' },
    });
    const read = await call(api().url, 'GET', `/locations/${created}`, { token: admin.token });

    // Assess
    expect(create.status, create.text).toBe(201);
    expect(create.body.coordinates).toEqual(expected);
    expect(update.status, update.text).toBe(200);
    expect(update.body.coordinates).toEqual(expected);
    expect(read.body.coordinates).toEqual(expected);
  });

  it.each([
    { coordinates: { latitude: 1e126, longitude: 0 }, field: 'coordinates.latitude' },
    { coordinates: { latitude: -90.00000001, longitude: 0 }, field: 'coordinates.latitude' },
    { coordinates: { latitude: 0, longitude: 180.0000001 }, field: 'coordinates.longitude' },
    { coordinates: { latitude: 0, longitude: -1e300 }, field: 'coordinates.longitude' },
  ])('refuses coordinates $coordinates with a 400 naming $field, on create and on update', async ({
    coordinates,
    field,
  }) => {
    const admin = await anAdmin(api());
    const existing = await aNewLocation(api());
    const locationId = aLocationId();

    const create = await call(api().url, 'POST', '/locations', {
      token: admin.token,
      json: { locationId, name: 'n', region: 'r', coordinates },
    });
    const update = await call(api().url, 'PATCH', `/locations/${existing}`, {
      token: admin.token,
      json: { coordinates },
    });

    for (const reply of [create, update]) {
      expectProblem(reply, 'validation-error');
      expect(reply.body.errors).toEqual([{ in: 'body', field, detail: expect.any(String) }]);
    }
    expect((await call(api().url, 'GET', `/locations/${locationId}`, { token: admin.token })).status).toBe(
      404,
    );
  });
});
