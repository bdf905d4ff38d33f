import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { StockBucket } from '../../../kernel/errors.js';
import type { ExtendCommand, ReserveCommand, TransitionCommand } from '../../../platform/store/commands.js';
import { allOf, type Condition, itemExists } from '../../../platform/store/conditions.js';
import { expiryBucket, holderKey, holdLevel, reservationKey } from '../../../platform/store/keys.js';
import { reservationItem } from '../../../platform/store/records.js';
import type { ShardPart } from '../../../stock/domain/sharding.js';
import { putNew, type TransactItem } from '../../../stock/store/requests/level-change.js';
import { type PlannedTransaction, plan, type Step } from '../../../stock/store/requests/plan.js';
import { shardSteps } from '../../../stock/store/requests/shard-changes.js';
import type { Reservation } from '../../domain/reservation.js';
import { TRANSITIONS, transitionDelta } from '../../domain/reservation.js';

/** Pure builders of the reservation requests of docs/data-model.md. */

/** Counts the new hold against its owner's cap, refusing it when the owner already has `cap` live holds. */
function holderSteps(tableName: string, ownerId: string, cap: number | null): Step[] {
  if (cap === null) return [];
  return [
    [
      {
        Update: {
          TableName: tableName,
          Key: holderKey(ownerId),
          UpdateExpression: 'ADD #active :one SET #ownerId = :owner',
          ConditionExpression: 'attribute_not_exists(#active) OR #active < :cap',
          ExpressionAttributeNames: { '#active': 'active', '#ownerId': 'ownerId' },
          ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':owner': ownerId },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { role: 'holder', ownerId, cap },
    ],
  ];
}

/** Uncounts a hold that leaves HELD. Unconditional: releasing stock must never be blocked by a counter. */
export function holderRelease(tableName: string, ownerId: string): Step {
  return [
    {
      Update: {
        TableName: tableName,
        Key: holderKey(ownerId),
        UpdateExpression: 'ADD #active :minusOne',
        ExpressionAttributeNames: { '#active': 'active' },
        ExpressionAttributeValues: { ':minusOne': -1 },
      },
    },
    { role: 'holder-release' },
  ];
}

/**
 * Reserve: one transaction. Each part's shard is decremented under its own `available >= q` guard (the whole
 * of the no-oversell promise); the reservation must be new (a retry with the same idempotency key collides
 * with its first attempt); each part's movement is written to its shard's ledger.
 */
export function buildReserve(
  tableName: string,
  cmd: ReserveCommand,
  parts: readonly ShardPart[],
): PlannedTransaction {
  const r: Reservation = { ...cmd.reservation, parts };
  const reservation = {
    ...reservationItem(r),
    requestHash: cmd.requestHash,
    idempotencyKey: cmd.idempotencyKey ?? undefined,
    ttl: cmd.ttlEpochSeconds,
    expiryBucket: expiryBucket(r.reservationId),
    holdLevel: holdLevel(r.sku, r.locationId, parts[0]?.shard ?? 0),
    countedHold: cmd.activeHoldCap !== null || undefined,
    // The reservation's stream record carries its events' movement and actor (docs/events.md).
    lastMovementId: cmd.movementId,
    lastActor: cmd.context.actor,
  };
  const { steps } = shardSteps(
    tableName,
    {
      sku: r.sku,
      locationId: r.locationId,
      type: 'RESERVED',
      context: cmd.context,
      movementId: cmd.movementId,
      reservationId: r.reservationId,
      reference: cmd.context.reference ?? { type: 'reservation', id: r.reservationId },
    },
    parts.map((p) => ({
      shard: p.shard,
      delta: { reserved: p.quantity },
      guard: { bucket: 'available', quantity: p.quantity },
      upsert: false,
      needsActiveShard: false,
    })),
  );
  const levelsAndMovements = steps;
  return plan(
    ...levelsAndMovements.filter((_, i) => i % 2 === 0),
    [
      putNew(tableName, reservation),
      {
        role: 'new-reservation',
        reservationId: r.reservationId,
        key: cmd.idempotencyKey,
        requestHash: cmd.requestHash,
      },
    ],
    ...levelsAndMovements.filter((_, i) => i % 2 === 1),
    ...holderSteps(tableName, r.ownerId, cmd.activeHoldCap),
  );
}

function ownedBy(ownerId: string | null): Condition[] {
  return ownerId === null
    ? []
    : [
        {
          name: 'ownedByCaller',
          expression: '#ownerId = :owner',
          names: { '#ownerId': 'ownerId' },
          values: { ':owner': ownerId },
        },
      ];
}

/** A hold that belongs to a cart moves out of HELD only through its cart (ADR 15): `cartId` marks such a hold. */
export const notInCart: Condition = {
  name: 'notInCart',
  expression: 'attribute_not_exists(#cartId)',
  names: { '#cartId': 'cartId' },
};

/** The bucket a transition takes the hold's units from, which must hold them. */
const TAKES_FROM: Record<keyof typeof TRANSITIONS, StockBucket> = {
  release: 'reserved',
  expire: 'reserved',
  confirm: 'reserved',
  fulfill: 'committed',
  cancel: 'committed',
};

/**
 * A transition of a hold: the reservation changes state only from the expected one (so it resolves at most
 * once), each part's shard moves by the part's quantity, a movement per part is written, in one transaction.
 */
export function buildTransition(tableName: string, cmd: TransitionCommand): PlannedTransaction {
  const t = TRANSITIONS[cmd.transition];
  const { hold } = cmd;
  // The sweeper's expire is not the owner's choice: it applies to a cart's hold too (the cart reports EXPIRED).
  const outsideCart = cmd.byCart !== true && (cmd.transition === 'release' || cmd.transition === 'confirm');
  const conditions: Condition[] = [
    itemExists,
    ...ownedBy(cmd.ownerId),
    ...(outsideCart ? [notInCart] : []),
    {
      name: 'inExpectedState',
      expression: '#status = :from',
      names: { '#status': 'status' },
      values: { ':from': t.from },
    },
    {
      name: 'sameQuantity',
      expression: '#quantity = :q',
      names: { '#quantity': 'quantity' },
      values: { ':q': hold.quantity },
    },
  ];
  if (cmd.transition === 'confirm') {
    conditions.push({
      name: 'notExpired',
      expression: '#expiresAt > :now',
      names: { '#expiresAt': 'expiresAt' },
      values: { ':now': cmd.nowMs },
    });
  }
  if (cmd.transition === 'expire') {
    conditions.push({
      name: 'expired',
      expression: '#expiresAt <= :now',
      names: { '#expiresAt': 'expiresAt' },
      values: { ':now': cmd.nowMs },
    });
  }
  const condition = allOf(conditions);
  const leavesHold = t.from === 'HELD';
  const terminal = t.to !== 'CONFIRMED';
  const sets = [
    '#status = :to',
    '#updatedAt = :at',
    '#lastMovementId = :mid',
    '#lastActor = :actor',
    ...(leavesHold ? ['#resolvedAt = :at'] : []),
    ...(terminal ? ['#ttl = :ttl'] : []),
  ];
  const removes = [...(leavesHold ? ['#expiryBucket', '#holdLevel'] : []), ...(terminal ? [] : ['#ttl'])];
  const reservationUpdate: TransactItem = {
    Update: {
      TableName: tableName,
      Key: reservationKey(hold.reservationId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: {
        ...condition.names,
        '#status': 'status',
        '#updatedAt': 'updatedAt',
        '#lastMovementId': 'lastMovementId',
        '#lastActor': 'lastActor',
        '#ttl': 'ttl',
        ...(leavesHold
          ? { '#resolvedAt': 'resolvedAt', '#expiryBucket': 'expiryBucket', '#holdLevel': 'holdLevel' }
          : {}),
      },
      ExpressionAttributeValues: {
        ...condition.values,
        ':to': t.to,
        ':at': cmd.context.at,
        ':mid': cmd.movementId,
        ':actor': cmd.context.actor,
        ...(terminal ? { ':ttl': cmd.resolvedTtlEpochSeconds } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };

  const { steps } = shardSteps(
    tableName,
    {
      sku: hold.sku,
      locationId: hold.locationId,
      type: t.movement,
      context: cmd.context,
      movementId: cmd.movementId,
      reservationId: hold.reservationId,
      reference: cmd.context.reference ?? { type: 'reservation', id: hold.reservationId },
    },
    hold.parts.map((p) => ({
      shard: p.shard,
      delta: transitionDelta(cmd.transition, p.quantity),
      guard: { bucket: TAKES_FROM[cmd.transition], quantity: p.quantity },
      upsert: false,
      needsActiveShard: false,
    })),
  );
  return plan(
    [
      reservationUpdate,
      {
        role: 'reservation-transition',
        reservationId: hold.reservationId,
        transition: cmd.transition,
        nowMs: cmd.nowMs,
        ownerId: cmd.ownerId,
        outsideCart,
      },
    ],
    ...steps,
    ...(leavesHold && hold.countedHold ? [holderRelease(tableName, hold.ownerId)] : []),
  );
}

/** Extend a live hold. Touches only the reservation (the level does not change), so it is one UpdateItem. */
export function buildExtend(tableName: string, cmd: ExtendCommand): UpdateCommandInput {
  const condition = allOf([
    itemExists,
    ...ownedBy(cmd.ownerId),
    notInCart,
    {
      name: 'held',
      expression: '#status = :held',
      names: { '#status': 'status' },
      values: { ':held': 'HELD' },
    },
    {
      name: 'notExpired',
      expression: '#expiresAt > :now',
      names: { '#expiresAt': 'expiresAt' },
      values: { ':now': cmd.nowMs },
    },
    {
      name: 'withinMaxHold',
      expression: '#maxExpiresAt >= :expiresAt',
      names: { '#maxExpiresAt': 'maxExpiresAt' },
      values: { ':expiresAt': cmd.expiresAt },
    },
  ]);
  return {
    TableName: tableName,
    Key: reservationKey(cmd.reservationId),
    UpdateExpression: 'SET #expiresAt = :expiresAt, #ttl = :ttl, #updatedAt = :at, #lastActor = :actor',
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: {
      ...condition.names,
      '#ttl': 'ttl',
      '#updatedAt': 'updatedAt',
      '#lastActor': 'lastActor',
    },
    ExpressionAttributeValues: {
      ...condition.values,
      ':ttl': cmd.ttlEpochSeconds,
      ':at': cmd.at,
      ':actor': cmd.actor,
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
