import { describe, expect, it } from 'vitest';
import { buildCartStatus, buildInFlightCartsQuery } from '../../shared/carts/store/requests/carts.js';
import type { TransitionName } from '../../shared/holds/domain/reservation.js';
import { buildExtend, buildTransition } from '../../shared/holds/store/requests/reservations.js';
import { HoldAlreadyResolvedError, HoldInCartError, NotFoundError } from '../../shared/kernel/errors.js';
import {
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import type { TransitionCommand } from '../../shared/platform/store/commands.js';
import { explainExtendRefusal, explainItem } from '../../shared/platform/store/failure-mapping.js';
import { cartOfKey, inFlightCartBucket } from '../../shared/platform/store/keys.js';
import type { ItemRole } from '../../shared/stock/store/requests/plan.js';

/** The requests that keep a cart and its holds one thing (ADR 15), built without a network. */
const T = 'inventory';
const owner = parsePrincipalId('shop-1');
const reservationId = parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0');
const at = '2026-11-21T09:00:00.000Z';

function transition(name: TransitionName, byCart?: boolean): TransitionCommand {
  return {
    transition: name,
    hold: {
      reservationId,
      sku: parseSku('S'),
      locationId: parseLocationId('L'),
      parts: [{ shard: 0, quantity: 2 }],
      quantity: 2,
      ownerId: owner,
      countedHold: false,
    },
    ownerId: owner,
    nowMs: 500,
    movementId: '01JABCDEFGHJKMNPQRSTVWXYZ1',
    context: { actor: owner, at, reason: null, reference: null },
    resolvedTtlEpochSeconds: 99,
    ...(byCart === undefined ? {} : { byCart }),
  };
}

const holdCondition = (cmd: TransitionCommand) =>
  (buildTransition(T, cmd).items[0]?.Update?.ConditionExpression as string) ?? '';

describe("a single hold's request", () => {
  it('requires the hold to belong to no cart to confirm, release or extend it on its own', () => {
    expect(holdCondition(transition('confirm'))).toContain('attribute_not_exists(#cartId)');
    expect(holdCondition(transition('release'))).toContain('attribute_not_exists(#cartId)');
    expect(
      buildExtend(T, {
        reservationId,
        ownerId: owner,
        expiresAt: 2_000,
        nowMs: 500,
        at,
        ttlEpochSeconds: 99,
        actor: owner,
      }).ConditionExpression,
    ).toContain('attribute_not_exists(#cartId)');
  });

  it('does not when the cart itself releases, nor for expiry, fulfilment or cancellation', () => {
    expect(holdCondition(transition('release', true))).not.toContain('#cartId');
    expect(holdCondition(transition('expire'))).not.toContain('#cartId');
    expect(holdCondition(transition('fulfill'))).not.toContain('#cartId');
    expect(holdCondition(transition('cancel'))).not.toContain('#cartId');
  });

  it('is explained as hold-in-cart, naming the cart, when the hold belongs to one, whatever its state', () => {
    const role = (outsideCart: boolean): ItemRole => ({
      role: 'reservation-transition',
      reservationId,
      transition: 'confirm',
      nowMs: 500,
      ownerId: owner,
      outsideCart,
    });
    const held = { ownerId: owner, status: 'HELD', expiresAt: 9_000, cartId: 'cart-1' };

    const refused = explainItem(role(true), held);

    expect(refused).toMatchObject({ kind: 'error', error: expect.any(HoldInCartError) });
    expect(refused?.kind === 'error' && refused.error.details).toEqual({ reservationId, cartId: 'cart-1' });
    expect(explainItem(role(true), { ...held, status: 'CONFIRMED' })).toMatchObject({
      error: expect.any(HoldInCartError),
    });
    expect(explainItem(role(false), { ...held, status: 'CONFIRMED' })?.kind).toBe('transition-replay');
    expect(explainItem(role(false), { ...held, status: 'RELEASED' })).toMatchObject({
      error: expect.any(HoldAlreadyResolvedError),
    });
    expect(explainExtendRefusal(reservationId, owner, 500, 2_000, held)).toBeInstanceOf(HoldInCartError);
    expect(explainExtendRefusal(reservationId, owner, 500, 2_000, { ...held, ownerId: 'x' })).toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("a cart's status change", () => {
  it('keeps an in-flight cart listed for the recovery, and removes a settled one from the list', () => {
    const releasing = buildCartStatus(T, owner, 'cart-1', ['HELD'], 'RELEASING', at);
    const released = buildCartStatus(T, owner, 'cart-1', ['RELEASING'], 'RELEASED', at);

    expect(releasing.UpdateExpression).toContain('#expiryBucket = :bucket');
    expect(releasing.ExpressionAttributeValues?.[':bucket']).toBe(inFlightCartBucket(owner, 'cart-1'));
    expect(released.UpdateExpression).toContain('REMOVE #expiryBucket');
    expect(released.ExpressionAttributeValues).not.toHaveProperty(':bucket');
  });

  it('claims a cart only as it was read when given what was seen', () => {
    const claim = buildCartStatus(T, owner, 'cart-1', ['PENDING'], 'COMPENSATING', at, null, {
      updatedAt: '2026-11-21T08:00:00.000Z',
    });

    expect(claim.ConditionExpression).toContain('#updatedAt = :seenAt');
    expect(claim.ExpressionAttributeValues?.[':seenAt']).toBe('2026-11-21T08:00:00.000Z');
  });
});

describe('the in-flight cart list', () => {
  it('spreads carts over 8 partitions that no hold uses, and reads a cart back from its key', () => {
    expect(inFlightCartBucket(owner, 'cart-1')).toMatch(/^CART#IN-FLIGHT#[0-7]$/);
    expect(cartOfKey('CART#shop-1#cart-1')).toEqual({ ownerId: 'shop-1', cartId: 'cart-1' });
    expect(cartOfKey('RESERVATION#01JABCDEFGHJKMNPQRSTVWXYZ0')).toBeNull();
  });

  it('is read one partition of the expiry index at a time, at most the given number of carts', () => {
    const query = buildInFlightCartsQuery(T, 'CART#IN-FLIGHT#3', 25);

    expect(query).toMatchObject({ TableName: T, IndexName: 'expiry', Limit: 25 });
    expect(query.KeyConditionExpression).toBe('#list = :bucket');
    expect(query.ExpressionAttributeNames).toEqual({ '#list': 'expiryBucket' });
    expect(query.ExpressionAttributeValues).toEqual({ ':bucket': 'CART#IN-FLIGHT#3' });
  });
});
