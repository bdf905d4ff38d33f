import type { PutCommandInput, QueryCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Reservation } from '../../../holds/domain/reservation.js';
import type { PrincipalId } from '../../../kernel/identifiers.js';
import { partMovementId } from '../../../kernel/ids.js';
import type { ChangeContext, HoldFacts } from '../../../platform/store/commands.js';
import {
  cartKey,
  expiryBucket,
  holdLevel,
  inFlightCartBucket,
  reservationKey,
} from '../../../platform/store/keys.js';
import { cartItem, reservationItem } from '../../../platform/store/records.js';
import type { ShardPart } from '../../../stock/domain/sharding.js';
import { putNew, type TransactItem } from '../../../stock/store/requests/level-change.js';
import { type HoldPartChange, mergedHoldSteps } from '../../../stock/store/requests/merged-changes.js';
import { type PlannedTransaction, plan, type Step } from '../../../stock/store/requests/plan.js';
import type { Cart, CartFailure, CartStatus } from '../../domain/cart.js';
import { IN_FLIGHT_CART_STATUSES } from '../../domain/cart-status.js';

/** Pure builders of the cart requests. */

export function buildCreateCart(
  tableName: string,
  cart: Cart,
  requestHash: string,
  ttl: number,
): PutCommandInput {
  return {
    TableName: tableName,
    Item: {
      ...cartItem(cart, { requestHash, ttl }),
      expiryBucket: inFlightCartBucket(cart.ownerId, cart.cartId),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

export interface CartStepHold {
  /** The reservation as it is created (status HELD), with the parts the store chose. */
  readonly reservation: Reservation;
  readonly requestHash: string;
  readonly movementId: string;
}

export interface CartStepCommand {
  readonly ownerId: PrincipalId;
  readonly cartId: string;
  readonly holds: readonly CartStepHold[];
  readonly context: ChangeContext;
  readonly ttlEpochSeconds: number;
}

/**
 * One saga step: the holds of one warehouse, in one transaction. The cart must still be PENDING (the fence: once
 * compensation has begun, a late or retried step cannot add a hold), every reservation must be new (a retry
 * lands on the first attempt's holds), and each shard is guarded by its own `available` counter.
 */
export function buildCartStep(tableName: string, cmd: CartStepCommand): PlannedTransaction {
  const fence: Step = [
    {
      ConditionCheck: {
        TableName: tableName,
        Key: cartKey(cmd.ownerId, cmd.cartId),
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':pending': 'PENDING' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { role: 'cart-fence', cartId: cmd.cartId },
  ];
  const reservations: Step[] = cmd.holds.map(({ reservation: r, requestHash, movementId }) => [
    putNew(tableName, {
      ...reservationItem(r),
      // The hold belongs to the cart: single-hold routes may not move it out of HELD (ADR 15).
      cartId: cmd.cartId,
      lastMovementId: movementId,
      lastActor: cmd.context.actor,
      requestHash,
      ttl: cmd.ttlEpochSeconds,
      expiryBucket: expiryBucket(r.reservationId),
      holdLevel: holdLevel(r.sku, r.locationId, r.parts[0]?.shard ?? 0),
    }),
    { role: 'new-reservation', reservationId: r.reservationId, key: null, requestHash },
  ]);
  const parts: HoldPartChange[] = cmd.holds.flatMap(({ reservation: r, movementId }) =>
    r.parts.map((p, i) => ({
      sku: r.sku,
      locationId: r.locationId,
      shard: p.shard,
      delta: { reserved: p.quantity },
      takes: 'available' as const,
      quantity: p.quantity,
      type: 'RESERVED' as const,
      reservationId: r.reservationId,
      movementId: partMovementId(movementId, i),
    })),
  );
  return plan(fence, ...reservations, ...mergedHoldSteps(tableName, parts, cmd.context));
}

export interface CartConfirmCommand {
  readonly ownerId: PrincipalId;
  readonly cartId: string;
  readonly holds: ReadonlyArray<HoldFacts & { readonly movementId: string }>;
  readonly nowMs: number;
  readonly context: ChangeContext;
}

/**
 * Confirm a whole cart in one transaction: the cart goes HELD → CONFIRMED, and every hold HELD → CONFIRMED (each
 * unexpired), its units moving from reserved to committed. Either the whole cart is confirmed or nothing is.
 */
export function buildCartConfirm(tableName: string, cmd: CartConfirmCommand): PlannedTransaction {
  const cart: Step = [
    {
      Update: {
        TableName: tableName,
        Key: cartKey(cmd.ownerId, cmd.cartId),
        UpdateExpression: 'SET #status = :to, #updatedAt = :at',
        ConditionExpression: '#status = :held',
        ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt' },
        ExpressionAttributeValues: { ':to': 'CONFIRMED', ':held': 'HELD', ':at': cmd.context.at },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { role: 'cart-transition', cartId: cmd.cartId, to: 'CONFIRMED', action: 'confirm' },
  ];
  const holds: Step[] = cmd.holds.map((h) => [
    confirmHoldUpdate(tableName, h, cmd.nowMs, cmd.context),
    {
      role: 'reservation-transition',
      reservationId: h.reservationId,
      transition: 'confirm',
      nowMs: cmd.nowMs,
      ownerId: null,
    },
  ]);
  const parts: HoldPartChange[] = cmd.holds.flatMap((h) =>
    h.parts.map((p: ShardPart, i) => ({
      sku: h.sku,
      locationId: h.locationId,
      shard: p.shard,
      delta: { reserved: -p.quantity, committed: p.quantity },
      takes: 'reserved' as const,
      quantity: p.quantity,
      type: 'CONFIRMED' as const,
      reservationId: h.reservationId,
      movementId: partMovementId(h.movementId, i),
    })),
  );
  return plan(cart, ...holds, ...mergedHoldSteps(tableName, parts, cmd.context));
}

function confirmHoldUpdate(
  tableName: string,
  hold: HoldFacts & { readonly movementId: string },
  nowMs: number,
  context: ChangeContext,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: reservationKey(hold.reservationId),
      UpdateExpression:
        'SET #status = :to, #updatedAt = :at, #resolvedAt = :at, #lastMovementId = :mid, #lastActor = :actor REMOVE #expiryBucket, #holdLevel, #ttl',
      ConditionExpression:
        'attribute_exists(pk) AND #status = :held AND #quantity = :q AND #expiresAt > :now',
      ExpressionAttributeNames: {
        '#status': 'status',
        '#updatedAt': 'updatedAt',
        '#resolvedAt': 'resolvedAt',
        '#lastMovementId': 'lastMovementId',
        '#lastActor': 'lastActor',
        '#expiryBucket': 'expiryBucket',
        '#holdLevel': 'holdLevel',
        '#ttl': 'ttl',
        '#quantity': 'quantity',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: {
        ':to': 'CONFIRMED',
        ':held': 'HELD',
        ':q': hold.quantity,
        ':now': nowMs,
        ':at': context.at,
        ':mid': hold.movementId,
        ':actor': context.actor,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** A condition on the cart's last change: the stuck-cart recovery claims a cart only as it read it (ADR 15). */
export interface CartSeen {
  readonly updatedAt: string;
}

/**
 * Moves a cart from one of `from` to `to`, recording a failure when there is one. An in-flight status keeps the
 * cart listed for the stuck-cart recovery (`expiryBucket`), any other removes it from that list. With `seen`,
 * the cart must also be unchanged since it was read (`updatedAt`).
 */
export function buildCartStatus(
  tableName: string,
  ownerId: PrincipalId,
  cartId: string,
  from: readonly CartStatus[],
  to: CartStatus,
  at: string,
  failure: CartFailure | null = null,
  seen: CartSeen | null = null,
): UpdateCommandInput {
  const values: Record<string, unknown> = { ':to': to, ':at': at };
  from.forEach((status, i) => {
    values[`:from${i}`] = status;
  });
  const inFlight = (IN_FLIGHT_CART_STATUSES as readonly CartStatus[]).includes(to);
  if (inFlight) values[':bucket'] = inFlightCartBucket(ownerId, cartId);
  if (seen) values[':seenAt'] = seen.updatedAt;
  const sets = [
    '#status = :to',
    '#updatedAt = :at',
    ...(failure ? ['#failure = :failure'] : []),
    ...(inFlight ? ['#expiryBucket = :bucket'] : []),
  ];
  return {
    TableName: tableName,
    Key: cartKey(ownerId, cartId),
    UpdateExpression: `SET ${sets.join(', ')}${inFlight ? '' : ' REMOVE #expiryBucket'}`,
    ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})${seen ? ' AND #updatedAt = :seenAt' : ''}`,
    ExpressionAttributeNames: {
      '#status': 'status',
      '#updatedAt': 'updatedAt',
      '#expiryBucket': 'expiryBucket',
      ...(failure ? { '#failure': 'failure' } : {}),
    },
    ExpressionAttributeValues: { ...values, ...(failure ? { ':failure': failure } : {}) },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * One partition of the in-flight cart list in the `expiry` index (`CART#IN-FLIGHT#{n}`), by the cart's expiry, at
 * most `limit` carts. The index projects keys only: the owner and id of a cart are read from its key.
 */
export function buildInFlightCartsQuery(tableName: string, bucket: string, limit: number): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: 'expiry',
    KeyConditionExpression: '#list = :bucket',
    ExpressionAttributeNames: { '#list': 'expiryBucket' },
    ExpressionAttributeValues: { ':bucket': bucket },
    Limit: limit,
  };
}
