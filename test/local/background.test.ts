import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundServices } from '../../infra/local/background-services.js';
import { newDevSigningKey } from '../../infra/local/dev-keys.js';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.js';
import type { ScheduledFunction } from '../../infra/local/scheduled-function.js';
import type { StreamEventSource } from '../../infra/local/stream-event-source.js';
import { createCart, reserveCartStep } from '../../shared/carts/use-cases/carts.js';
import { getReservation, reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { parseCartId } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { testDeps, useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const { table } = useTestTable();
let runtime: LocalRuntime;
let sweeper: ScheduledFunction;
let backstop: StreamEventSource;
let cartRecovery: ScheduledFunction;

beforeAll(async () => {
  const services = backgroundServices({
    dynamoEndpoint: table.endpoint,
    tableName: table.tableName,
    sweepEveryMs: DAY,
    recoverCartsEveryMs: DAY,
  });
  [sweeper, backstop, cartRecovery] = services as [ScheduledFunction, StreamEventSource, ScheduledFunction];
  runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: table.endpoint,
    tableName: table.tableName,
    signingKey: await newDevSigningKey(),
    services,
    events: false,
  });
});
afterAll(() => runtime.stop());

async function eventually(check: () => Promise<boolean>, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the local runtime background functions', () => {
  it('run the stuck-cart recovery function, which compensates a cart whose saga died long ago', async () => {
    // Prepare: a cart whose saga held its line ten minutes ago and then died
    const past = testDeps(table, undefined, new ManualClock(Date.now() - 10 * MINUTE));
    const { sku, locationId } = await aStockedLevel(past, 5);
    const owner = aPrincipal();
    const cartId = parseCartId(`stuck-${Date.now()}`);
    await createCart(
      past,
      { cartId, lines: [{ sku, quantity: 2, locationId: null }], strategy: 'priority' },
      owner,
      [{ locationId, lines: [{ lineIndex: 0, sku, quantity: 2 }] }],
    );
    await reserveCartStep(past, { ownerId: owner, cartId, stepIndex: 0 });

    // Act
    await cartRecovery.runOnce();

    // Assess
    expect(await past.carts.getCart(owner, cartId)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'saga-interrupted' },
    });
    expect(await readLevel(past, sku, locationId)).toMatchObject({ reserved: 0, available: 5 });
  });

  it('run the sweeper function, which releases holds that expired on the real clock', async () => {
    // Prepare: a hold made ten minutes ago for one minute
    const past = testDeps(table, undefined, new ManualClock(Date.now() - 10 * MINUTE));
    const { sku, locationId } = await aStockedLevel(past, 5);
    const { reservation } = await reserveStock(
      past,
      { sku, locationId, quantity: 2, ttlSeconds: 60 },
      aPrincipal(),
    );

    // Act
    await sweeper.runOnce();

    // Assess
    expect((await getReservation(past, reservation.reservationId, null)).status).toBe('EXPIRED');
    expect(await readLevel(past, sku, locationId)).toMatchObject({ reserved: 0, available: 5 });
  });

  it('feed TTL deletions of held reservations, through the deployed filter, to the backstop function', async () => {
    // Prepare: a hold made three days ago, forgotten: DynamoDB Local's TTL deletes it
    const past = testDeps(table, undefined, new ManualClock(Date.now() - 3 * DAY));
    const { sku, locationId } = await aStockedLevel(past, 5);
    const { reservation } = await reserveStock(
      past,
      { sku, locationId, quantity: 3, ttlSeconds: 60 },
      aPrincipal(),
    );

    // Act: wait for TTL, the stream, and the backstop
    await eventually(
      async () => (await past.holds.getReservation(reservation.reservationId))?.status === 'EXPIRED',
    );
    await backstop.drain();

    // Assess
    await expectLevelConsistent(past, sku, locationId);
    expect(await readLevel(past, sku, locationId)).toMatchObject({ reserved: 0, available: 5 });
  });
});
