import type { LocationId } from '../../domain/identifiers.js';
import type { Movement, MovementType } from '../../domain/movement.js';
import type { BucketDelta } from '../../domain/stock-level.js';
import type {
  AdjustCommand,
  BlockCommand,
  ChangeContext,
  CountCommand,
  ReceiveCommand,
  TransferCommand,
} from '../commands.js';
import { locationKey } from '../keys.js';
import { movementItem } from '../records.js';
import {
  atLeast,
  type LevelChange,
  levelUpdate,
  putNew,
  type TransactItem,
  versionIs,
} from './level-change.js';
import { type ItemRole, idempotencyStep, type PlannedTransaction, plan } from './plan.js';

type Step = readonly [TransactItem, ItemRole];

/** Pure builders of the stock-change transactions of docs/data-model.md. Unit-tested without a network. */

function movementStep(
  tableName: string,
  change: Pick<LevelChange, 'sku' | 'locationId' | 'shard' | 'delta' | 'movementId'>,
  type: MovementType,
  context: ChangeContext,
): Step {
  const movement: Movement = {
    movementId: change.movementId,
    sku: change.sku,
    locationId: change.locationId,
    shard: change.shard,
    type,
    delta: change.delta,
    reason: context.reason,
    reference: context.reference,
    reservationId: null,
    actor: context.actor,
    at: context.at,
  };
  return [putNew(tableName, movementItem(movement)), { role: 'movement' }];
}

function activeLocationStep(tableName: string, locationId: LocationId): Step {
  return [
    {
      ConditionCheck: {
        TableName: tableName,
        Key: locationKey(locationId),
        ConditionExpression: 'attribute_exists(pk) AND #active = :true',
        ExpressionAttributeNames: { '#active': 'active' },
        ExpressionAttributeValues: { ':true': true },
      },
    },
    { role: 'location', locationId },
  ];
}

function changeSteps(
  tableName: string,
  change: LevelChange,
  type: MovementType,
  context: ChangeContext,
  guard: Extract<ItemRole, { role: 'level' }>['guard'],
): Step[] {
  return [
    [
      levelUpdate(tableName, change),
      { role: 'level', sku: change.sku, locationId: change.locationId, guard },
    ],
    movementStep(tableName, change, type, context),
  ];
}

/** Receive: onHand and available grow by q; the level is created if new; the location must be active. */
export function buildReceive(tableName: string, cmd: ReceiveCommand, shard = 0): PlannedTransaction {
  const change: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard,
    delta: { onHand: cmd.quantity },
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [],
    upsert: true,
  };
  return plan(
    ...changeSteps(tableName, change, 'RECEIVED', cmd.context, null),
    activeLocationStep(tableName, cmd.locationId),
    ...idempotencyStep(tableName, cmd.idempotency),
  );
}

/** Adjust by a signed delta of onHand. Taking units away needs them on hand and not promised to anyone. */
export function buildAdjust(tableName: string, cmd: AdjustCommand, shard = 0): PlannedTransaction {
  const taking = cmd.delta < 0 ? -cmd.delta : 0;
  const change: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard,
    delta: { onHand: cmd.delta },
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: taking > 0 ? [atLeast('available', taking)] : [],
    upsert: false,
  };
  return plan(
    ...changeSteps(
      tableName,
      change,
      'ADJUSTED',
      cmd.context,
      taking > 0 ? { bucket: 'available', quantity: taking } : null,
    ),
    ...idempotencyStep(tableName, cmd.idempotency),
  );
}

/**
 * Set onHand to a counted quantity, guarded by the version the delta was computed from: any change in between
 * makes the write fail with a version conflict instead of overwriting it.
 */
export function buildCount(
  tableName: string,
  cmd: CountCommand,
  currentOnHand: number,
  shard = 0,
): PlannedTransaction {
  const delta: BucketDelta = { onHand: cmd.onHand - currentOnHand };
  const change: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard,
    delta,
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [versionIs(cmd.expectedVersion)],
    upsert: false,
  };
  return plan(
    ...changeSteps(tableName, change, 'COUNTED', cmd.context, { version: cmd.expectedVersion }),
    ...idempotencyStep(tableName, cmd.idempotency),
  );
}

/** Block moves available units to unavailable (damaged, quality control); unblock moves them back. */
export function buildBlock(tableName: string, cmd: BlockCommand, shard = 0): PlannedTransaction {
  const blocking = cmd.direction === 'block';
  const from = blocking ? 'available' : 'unavailable';
  const change: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard,
    delta: { unavailable: blocking ? cmd.quantity : -cmd.quantity },
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [atLeast(from, cmd.quantity)],
    upsert: false,
  };
  return plan(
    ...changeSteps(tableName, change, blocking ? 'BLOCKED' : 'UNBLOCKED', cmd.context, {
      bucket: from,
      quantity: cmd.quantity,
    }),
    ...idempotencyStep(tableName, cmd.idempotency),
  );
}

/** Transfer: units leave one level and arrive at another in the same transaction, or neither happens. */
export function buildTransfer(
  tableName: string,
  cmd: TransferCommand,
  fromShard = 0,
  toShard = 0,
): PlannedTransaction {
  const out: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.from,
    shard: fromShard,
    delta: { onHand: -cmd.quantity },
    movementId: cmd.outMovementId,
    at: cmd.context.at,
    guards: [atLeast('available', cmd.quantity)],
    upsert: false,
  };
  const into: LevelChange = {
    sku: cmd.sku,
    locationId: cmd.to,
    shard: toShard,
    delta: { onHand: cmd.quantity },
    movementId: cmd.inMovementId,
    at: cmd.context.at,
    guards: [],
    upsert: true,
  };
  const reference = cmd.context.reference ?? { type: 'transfer', id: cmd.outMovementId };
  const context = { ...cmd.context, reference };
  return plan(
    ...changeSteps(tableName, out, 'TRANSFERRED_OUT', context, {
      bucket: 'available',
      quantity: cmd.quantity,
    }),
    ...changeSteps(tableName, into, 'TRANSFERRED_IN', context, null),
    activeLocationStep(tableName, cmd.to),
    ...idempotencyStep(tableName, cmd.idempotency),
  );
}
