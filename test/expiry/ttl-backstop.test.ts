import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamPoller, startStreamPoller } from '../../infra/local/stream-poller.js';
import { ensureTable } from '../../infra/local/table.js';
import {
  type BackstopTally,
  handlePurgedHoldRecords,
  purgedHeldReservation,
} from '../../shared/holds/streams/purged-holds.js';
import { getReservation, reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const DAY = 24 * 60 * 60 * 1000;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// Holds made "three days ago": their TTL (expiry + 1 day) is two days past, so DynamoDB Local deletes them.
const { table, deps } = useTestTable({ clock: new ManualClock(Date.now() - 3 * DAY) });
let poller: StreamPoller;
const seen: DynamoDBRecord[] = [];
const tally: BackstopTally = { released: 0, duplicate: 0, ignored: 0 };

beforeAll(async () => {
  const raw = new DynamoDBClient({ endpoint: table.endpoint, region: 'local', credentials });
  await ensureTable(raw, table.tableName);
  raw.destroy();
  poller = await startStreamPoller({
    clientConfig: { endpoint: table.endpoint, region: 'local', credentials },
    tableName: table.tableName,
    startAt: 'TRIM_HORIZON',
    intervalMs: 200,
    onRecords: async (records) => {
      seen.push(...records);
      const t = await handlePurgedHoldRecords(deps, records);
      for (const k of Object.keys(t) as Array<keyof BackstopTally>) tally[k] += t[k];
    },
  });
});
afterAll(() => poller.stop());

async function eventually(check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for DynamoDB TTL');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the TTL backstop', () => {
  it('returns the stock of a held reservation that TTL deleted, exactly once, and restores it as EXPIRED', async () => {
    // Prepare: a forgotten hold and a resolved one
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const forgotten = await reserveStock(
      deps,
      { sku, locationId, quantity: 4, ttlSeconds: 60 },
      aPrincipal(),
    );
    // Made today: a hold made three days ago could be purged by TTL before the release reaches it.
    const today = { ...deps, clock: new ManualClock(Date.now()) };
    const owner = aPrincipal();
    const released = await reserveStock(today, { sku, locationId, quantity: 1, ttlSeconds: 60 }, owner);
    await resolveHold(today, 'release', { reservationId: released.reservation.reservationId }, owner, owner);

    // Act: DynamoDB Local's TTL process deletes the forgotten hold; the stream delivers the REMOVE
    await eventually(() => tally.released === 1);

    // Assess
    const removal = seen.find((r) => r.eventName === 'REMOVE');
    expect(removal?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    const restored = await getReservation(deps, forgotten.reservation.reservationId, null);
    expect(restored).toMatchObject({ status: 'EXPIRED', quantity: 4 });
    expect((await getReservation(deps, released.reservation.reservationId, null)).status).toBe('RELEASED');
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('changes nothing when the same deletion is delivered again, or records arrive out of order', async () => {
    await eventually(() => tally.released >= 1);
    const removal = seen.find((r) => purgedHeldReservation(r) !== null);
    if (!removal) throw new Error('no TTL deletion seen');
    const purged = purgedHeldReservation(removal);
    if (!purged) throw new Error('not a held reservation');
    const before = await readLevel(deps, purged.sku, purged.locationId);
    const olderInsert = seen.find(
      (r) => r.eventName === 'INSERT' && r.dynamodb?.Keys?.pk?.S === `RESERVATION#${purged.reservationId}`,
    );

    const again = await handlePurgedHoldRecords(deps, [
      removal,
      removal,
      ...(olderInsert ? [olderInsert] : []),
    ]);

    expect(again).toEqual({ released: 0, duplicate: 2, ignored: olderInsert ? 1 : 0 });
    expect(await readLevel(deps, purged.sku, purged.locationId)).toEqual(before);
  });

  it('ignores deletions made by someone other than the TTL process', async () => {
    const removal = seen.find((r) => purgedHeldReservation(r) !== null);
    if (!removal) throw new Error('no TTL deletion seen');
    const byUser: DynamoDBRecord = { ...removal, userIdentity: undefined };
    expect(await handlePurgedHoldRecords(deps, [byUser])).toEqual({ released: 0, duplicate: 0, ignored: 1 });
  });
});
