import { describe, expect, it } from 'vitest';
import type { Role } from '../../shared/platform/http/caller.js';
import { PROBLEM_BASE_URI } from '../../shared/platform/http/problem-types.js';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { aKey, aPrincipal } from '../support/fixtures.js';
import { answerLateOnce, call, SHORT_LAMBDA_MS } from '../support/lost-answers.js';
import { useTestApi } from './support/api.js';
import { aHeldCart, aHold, aLevel } from './support/world.js';

/**
 * Requests whose store answer is lost (the harness of test/support/lost-answers.ts: the write commits, its answer
 * is held back until the call's abort signal fires, then lost as the HTTP handler loses it): a write answers that
 * its outcome is unknown and how to learn it, a read that the service is busy.
 */
const api = useTestApi();

const reserve = (
  caller: { sub: string; roles: readonly Role[] },
  body: unknown,
  headers: Record<string, string> = {},
  lambdaMs = SHORT_LAMBDA_MS,
) =>
  call(
    'functions/reserve-stock.ts',
    { routeKey: 'POST /reservations', path: '/reservations', body, headers, caller },
    lambdaMs,
  );

const problemType = (code: string) => `${PROBLEM_BASE_URI}${code}`;

describe('an answer never lies about whether it committed', () => {
  it('answers 503 outcome-unknown to a keyed reserve whose answer is lost, and the retry returns the hold that committed', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = { sub: aPrincipal(), roles: ['storefront'] as const };
    const key = aKey();
    const late = answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');

    // Act
    const first = await reserve(buyer, { ...level, quantity: 2 }, { 'idempotency-key': key });
    const retry = await reserve(buyer, { ...level, quantity: 2 }, { 'idempotency-key': key }, 10_000);

    // Assess
    expect(late.delayed()).toBe(1);
    expect(first.statusCode).toBe(503);
    expect(first.headers['content-type']).toBe('application/problem+json');
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body).toMatchObject({
      type: problemType('outcome-unknown'),
      status: 503,
      idempotencyKey: key,
    });
    expect(first.body.detail).toMatch(/same Idempotency-Key/);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.reservationId).toBe(first.body.reservationId);
    expect(first.body.checkAt).toBe(`/reservations/${String(retry.body.reservationId)}`);
    const movements = await api().deps.ledger.listMovements(level.sku, level.locationId, {
      limit: 100,
      cursor: null,
      order: 'asc',
    });
    expect(movements.movements.filter((m) => m.type === 'RESERVED')).toHaveLength(1);
    expect(await api().deps.levels.getLevel(level.sku, level.locationId)).toMatchObject({
      reserved: 2,
      available: 8,
    });
  });

  it('names the reservation an unkeyed reserve made when its answer is lost, and says a repeat is not safe', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = { sub: aPrincipal(), roles: ['storefront'] as const };
    answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');

    // Act
    const answer = await reserve(buyer, { ...level, quantity: 3 });

    // Assess
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toMatchObject({ type: problemType('outcome-unknown'), safeToRepeat: false });
    expect(answer.body.idempotencyKey).toBeUndefined();
    const reservationId = String(answer.body.reservationId);
    expect(answer.body.checkAt).toBe(`/reservations/${reservationId}`);
    expect(await api().deps.holds.getReservation(reservationId as never)).toMatchObject({
      status: 'HELD',
      quantity: 3,
      ownerId: buyer.sub,
    });
  });

  it('answers 503 outcome-unknown to a keyed receipt whose answer is lost, and the retry applies it once', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const clerk = { sub: aPrincipal('clerk'), roles: ['warehouse'] as const, locations: [level.locationId] };
    const key = aKey();
    answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');
    const receive = (lambdaMs: number) =>
      call(
        'functions/receive-stock.ts',
        {
          routeKey: 'POST /skus/{sku}/locations/{locationId}/receipts',
          path: `/skus/${level.sku}/locations/${level.locationId}/receipts`,
          pathParameters: { sku: level.sku, locationId: level.locationId },
          body: { quantity: 5 },
          headers: { 'idempotency-key': key },
          caller: clerk,
        },
        lambdaMs,
      );

    // Act
    const first = await receive(SHORT_LAMBDA_MS);
    const retry = await receive(10_000);

    // Assess
    expect(first.statusCode).toBe(503);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body).toMatchObject({
      type: problemType('outcome-unknown'),
      idempotencyKey: key,
      safeToRepeat: true,
      checkAt: `/skus/${level.sku}/locations/${level.locationId}/movements?order=desc`,
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await api().deps.levels.getLevel(level.sku, level.locationId)).toMatchObject({ onHand: 15 });
    const movements = await api().deps.ledger.listMovements(level.sku, level.locationId, {
      limit: 100,
      cursor: null,
      order: 'asc',
    });
    expect(movements.movements.filter((m) => m.type === 'RECEIVED')).toHaveLength(2);
  });

  it('answers 503 outcome-unknown to a confirm whose answer is lost, pointing at the hold', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = { sub: aPrincipal(), roles: ['storefront'] as const };
    const reservationId = await aHold(api(), buyer.sub, level, 1);
    answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');

    // Act
    const answer = await call('functions/confirm-reservation.ts', {
      routeKey: 'POST /reservations/{reservationId}/confirm',
      path: `/reservations/${reservationId}/confirm`,
      pathParameters: { reservationId },
      body: {},
      caller: buyer,
    });

    // Assess
    expect(answer.statusCode).toBe(503);
    expect(answer.body).toMatchObject({
      type: problemType('outcome-unknown'),
      safeToRepeat: true,
      checkAt: `/reservations/${reservationId}`,
    });
    expect(await api().deps.holds.getReservation(reservationId)).toMatchObject({ status: 'CONFIRMED' });
  });

  it('answers 503 outcome-unknown to a cart confirm whose answer is lost, pointing at the cart, and its repeat is safe', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = { sub: aPrincipal(), roles: ['storefront'] as const };
    const cartId = await aHeldCart(api(), buyer.sub, level, 2);
    answerLateOnce(coldStart().client, 'TransactWriteItemsCommand');
    const confirm = (lambdaMs: number) =>
      call(
        'functions/confirm-cart.ts',
        {
          routeKey: 'POST /carts/{cartId}/confirm',
          path: `/carts/${cartId}/confirm`,
          pathParameters: { cartId },
          caller: buyer,
        },
        lambdaMs,
      );

    // Act
    const first = await confirm(SHORT_LAMBDA_MS);
    const repeat = await confirm(10_000);

    // Assess
    expect(first.statusCode).toBe(503);
    expect(first.body).toMatchObject({
      type: problemType('outcome-unknown'),
      safeToRepeat: true,
      checkAt: `/carts/${cartId}`,
    });
    expect(repeat.statusCode).toBe(200);
    expect(repeat.body).toMatchObject({ cartId, status: 'CONFIRMED' });
    expect(await api().deps.levels.getLevel(level.sku, level.locationId)).toMatchObject({
      reserved: 0,
      committed: 2,
    });
  });

  it('answers 503 service-busy with Retry-After to a read whose answer is lost', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const clerk = { sub: aPrincipal('clerk'), roles: ['warehouse'] as const, locations: [level.locationId] };
    const late = answerLateOnce(coldStart().client, 'QueryCommand');

    // Act
    const answer = await call('functions/read-level.ts', {
      routeKey: 'GET /skus/{sku}/locations/{locationId}',
      path: `/skus/${level.sku}/locations/${level.locationId}`,
      pathParameters: { sku: level.sku, locationId: level.locationId },
      caller: clerk,
    });

    // Assess
    expect(late.delayed()).toBe(1);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.body).toMatchObject({ type: problemType('service-busy'), status: 503 });
  });
});
