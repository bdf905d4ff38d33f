import { describe, expect, it } from 'vitest';
import type { CartId, PrincipalId, ReservationId } from '../../shared/kernel/identifiers.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestApi } from '../api/support/api.js';
import { call, expectProblem } from '../api/support/http.js';
import { type Actor, aBuyer, aHeldCart, aLevel } from '../api/support/world.js';

/**
 * A cart and its holds over HTTP: a hold that belongs to a cart moves only through the cart's routes (ADR 15),
 * so a cart's status never contradicts its holds, and no mix of routes answers a 5xx.
 */
const api = useTestApi();

async function aHeldCartWithItsHold(buyer: Actor) {
  const level = await aLevel(api(), 10);
  const cartId = await aHeldCart(api(), buyer.sub, level, 2);
  const cart = await api().deps.carts.getCart(buyer.sub, cartId);
  const reservationId = cart?.holds[0]?.reservationId as ReservationId;
  return { level, cartId, reservationId };
}

const post = (buyer: Actor, path: string, json?: Record<string, unknown>) =>
  call(api().url, 'POST', path, { token: buyer.token, ...(json ? { json } : {}) });

async function holdStatus(owner: PrincipalId, cartId: CartId) {
  const cart = await api().deps.carts.getCart(owner, cartId);
  const holds = await api().deps.carts.getReservations(cart?.holds.map((h) => h.reservationId) ?? []);
  return { cart: cart?.status, holds: holds.map((h) => h.status) };
}

describe("a cart's hold on its own route", () => {
  it('is not confirmed on its own: 409 hold-in-cart naming the cart, and the cart confirms afterwards', async () => {
    // Prepare
    const buyer = await aBuyer(api());
    const { level, cartId, reservationId } = await aHeldCartWithItsHold(buyer);

    // Act
    const single = await post(buyer, `/reservations/${reservationId}/confirm`);
    const whole = await post(buyer, `/carts/${cartId}/confirm`);
    const again = await post(buyer, `/carts/${cartId}/confirm`);

    // Assess
    expectProblem(single, 'hold-in-cart');
    expect(single.body).toMatchObject({ reservationId, cartId });
    expect(whole.status, whole.text).toBe(200);
    expect(again.status, again.text).toBe(200);
    expect(await holdStatus(buyer.sub, cartId)).toEqual({ cart: 'CONFIRMED', holds: ['CONFIRMED'] });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      reserved: 0,
      committed: 2,
    });
  });

  it('is not released, extended or confirmed on its own, and the cart is released truthfully', async () => {
    // Prepare
    const buyer = await aBuyer(api());
    const { level, cartId, reservationId } = await aHeldCartWithItsHold(buyer);

    // Act
    const refused = [
      await post(buyer, `/reservations/${reservationId}/confirm`),
      await post(buyer, `/reservations/${reservationId}/release`),
      await post(buyer, `/reservations/${reservationId}/extend`, { ttlSeconds: 600 }),
    ];
    const release = await post(buyer, `/carts/${cartId}/release`);

    // Assess
    for (const reply of refused) {
      expectProblem(reply, 'hold-in-cart');
      expect(reply.body).toMatchObject({ cartId });
    }
    expect(release.status, release.text).toBe(200);
    expect(release.body).toMatchObject({ status: 'RELEASED', holds: [{ status: 'RELEASED' }] });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      reserved: 0,
      committed: 0,
      available: 10,
    });
  });

  it('is fulfilled on its own once the cart is confirmed, and the cart stays CONFIRMED', async () => {
    // Prepare
    const buyer = await aBuyer(api());
    const { level, cartId, reservationId } = await aHeldCartWithItsHold(buyer);
    await post(buyer, `/carts/${cartId}/confirm`);

    // Act
    const fulfil = await post(buyer, `/reservations/${reservationId}/fulfill`);
    const release = await post(buyer, `/carts/${cartId}/release`);

    // Assess
    expect(fulfil.status, fulfil.text).toBe(200);
    expectProblem(release, 'cart-state');
    expect(await holdStatus(buyer.sub, cartId)).toEqual({ cart: 'CONFIRMED', holds: ['FULFILLED'] });
    expect(await readLevel(api().deps, level.sku, level.locationId)).toMatchObject({
      onHand: 8,
      committed: 0,
    });
  });
});
