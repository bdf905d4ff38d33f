import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Movement } from '../../domain/movement.js';
import { reserveDelta, TRANSITIONS, transitionDelta } from '../../domain/reservation.js';
import type { ChangeContext, ExtendCommand, ReserveCommand, TransitionCommand } from '../commands.js';
import { allOf, type Condition, itemExists } from '../conditions.js';
import { expiryBucket, holderKey, holdLevel, reservationKey } from '../keys.js';
import { movementItem, reservationItem } from '../records.js';
import { atLeast, type LevelChange, levelUpdate, putNew, type TransactItem } from './level-change.js';
import { type ItemRole, type PlannedTransaction, plan } from './plan.js';

/** Pure builders of the reservation requests of docs/data-model.md. */

type Step = readonly [TransactItem, ItemRole];

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

function holdMovement(
  change: Pick<LevelChange, 'sku' | 'locationId' | 'shard' | 'delta' | 'movementId'>,
  type: Movement['type'],
  reservationId: Movement['reservationId'],
  context: ChangeContext,
): Movement {
  return {
    movementId: change.movementId,
    sku: change.sku,
    locationId: change.locationId,
    shard: change.shard,
    type,
    delta: change.delta,
    reason: context.reason,
    reference: context.reference ?? (reservationId ? { type: 'reservation', id: reservationId } : null),
    reservationId,
    actor: context.actor,
    at: context.at,
  };
}

/**
 * Reserve: one transaction of three items. The level's `available >= q` guard is the whole of the no-oversell
 * promise; the reservation must be new (a retry with the same idempotency key collides with its first attempt);
 * the movement records the change in the ledger.
 */
export function buildReserve(tableName: string, cmd: ReserveCommand): PlannedTransaction {
  const r = cmd.reservation;
  const change: LevelChange = {
    sku: r.sku,
    locationId: r.locationId,
    shard: r.shard,
    delta: reserveDelta(r.quantity),
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [atLeast('available', r.quantity)],
    upsert: false,
  };
  const reservation = {
    ...reservationItem(r),
    requestHash: cmd.requestHash,
    idempotencyKey: cmd.idempotencyKey ?? undefined,
    ttl: cmd.ttlEpochSeconds,
    expiryBucket: expiryBucket(r.reservationId),
    holdLevel: holdLevel(r.sku, r.locationId),
    countedHold: cmd.activeHoldCap !== null || undefined,
  };
  return plan(
    [
      levelUpdate(tableName, change),
      {
        role: 'level',
        sku: r.sku,
        locationId: r.locationId,
        guard: { bucket: 'available', quantity: r.quantity },
      },
    ],
    [
      putNew(tableName, reservation),
      {
        role: 'new-reservation',
        reservationId: r.reservationId,
        key: cmd.idempotencyKey,
        requestHash: cmd.requestHash,
      },
    ],
    [
      putNew(tableName, movementItem(holdMovement(change, 'RESERVED', r.reservationId, cmd.context))),
      { role: 'movement' },
    ],
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

/**
 * A transition of a hold: the reservation changes state only from the expected one (so it resolves at most
 * once), its level's buckets move by the hold's quantity, and a movement is written, in one transaction.
 */
export function buildTransition(tableName: string, cmd: TransitionCommand): PlannedTransaction {
  const t = TRANSITIONS[cmd.transition];
  const { hold } = cmd;
  const conditions: Condition[] = [
    itemExists,
    ...ownedBy(cmd.ownerId),
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
        '#ttl': 'ttl',
        ...(leavesHold
          ? { '#resolvedAt': 'resolvedAt', '#expiryBucket': 'expiryBucket', '#holdLevel': 'holdLevel' }
          : {}),
      },
      ExpressionAttributeValues: {
        ...condition.values,
        ':to': t.to,
        ':at': cmd.context.at,
        ...(terminal ? { ':ttl': cmd.resolvedTtlEpochSeconds } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };

  const delta = transitionDelta(cmd.transition, hold.quantity);
  const guards =
    cmd.transition === 'fulfill'
      ? [atLeast('committed', hold.quantity), atLeast('onHand', hold.quantity)]
      : cmd.transition === 'cancel'
        ? [atLeast('committed', hold.quantity)]
        : [atLeast('reserved', hold.quantity)];
  const change: LevelChange = {
    sku: hold.sku,
    locationId: hold.locationId,
    shard: hold.shard,
    delta,
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards,
    upsert: false,
  };
  return plan(
    [
      reservationUpdate,
      {
        role: 'reservation-transition',
        reservationId: hold.reservationId,
        transition: cmd.transition,
        nowMs: cmd.nowMs,
        ownerId: cmd.ownerId,
      },
    ],
    [
      levelUpdate(tableName, change),
      { role: 'level', sku: hold.sku, locationId: hold.locationId, guard: null },
    ],
    [
      putNew(tableName, movementItem(holdMovement(change, t.movement, hold.reservationId, cmd.context))),
      { role: 'movement' },
    ],
    ...(leavesHold && hold.countedHold ? [holderRelease(tableName, hold.ownerId)] : []),
  );
}

/** Extend a live hold. Touches only the reservation (the level does not change), so it is one UpdateItem. */
export function buildExtend(tableName: string, cmd: ExtendCommand): UpdateCommandInput {
  const condition = allOf([
    itemExists,
    ...ownedBy(cmd.ownerId),
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
    UpdateExpression: 'SET #expiresAt = :expiresAt, #ttl = :ttl, #updatedAt = :at',
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: { ...condition.names, '#ttl': 'ttl', '#updatedAt': 'updatedAt' },
    ExpressionAttributeValues: { ...condition.values, ':ttl': cmd.ttlEpochSeconds, ':at': cmd.at },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
