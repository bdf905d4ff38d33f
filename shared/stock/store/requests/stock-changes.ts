import type { LocationId } from '../../../kernel/identifiers.js';
import type {
  AdjustCommand,
  BlockCommand,
  CountCommand,
  ReceiveCommand,
  TransferCommand,
} from '../../../platform/store/commands.js';
import { locationKey } from '../../../platform/store/keys.js';
import type { ShardPart } from '../../domain/sharding.js';
import { idempotencyStep, type PlannedTransaction, plan, type Step } from './plan.js';
import { type ShardChange, shardSteps } from './shard-changes.js';

/**
 * Pure builders of the stock-change transactions of docs/data-model.md. Each takes the parts (shard and
 * quantity) that the store chose: one part for an unsharded level. Unit-tested without a network.
 */

export interface Planned extends PlannedTransaction {
  readonly movementIds: readonly string[];
}

/** The location must exist and be active (receipts and transfers into it). */
export function activeLocationStep(tableName: string, locationId: LocationId): Step {
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

/** Adding units to shards: on-hand (and so available) grows; the level is created if new; shards must be active. */
const adding = (parts: readonly ShardPart[]): ShardChange[] =>
  parts.map((p) => ({
    shard: p.shard,
    delta: { onHand: p.quantity },
    guard: null,
    upsert: true,
    needsActiveShard: true,
  }));

/** Removing units from shards: each shard must have them available. */
const removing = (parts: readonly ShardPart[]): ShardChange[] =>
  parts.map((p) => ({
    shard: p.shard,
    delta: { onHand: -p.quantity },
    guard: { bucket: 'available', quantity: p.quantity },
    upsert: false,
    needsActiveShard: false,
  }));

/** Receive: units are added to the level (spread over its active shards); the location must be active. */
export function buildReceive(tableName: string, cmd: ReceiveCommand, parts: readonly ShardPart[]): Planned {
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.locationId,
      type: 'RECEIVED',
      context: cmd.context,
      movementId: cmd.movementId,
    },
    adding(parts),
  );
  return {
    ...plan(
      ...steps,
      activeLocationStep(tableName, cmd.locationId),
      ...idempotencyStep(tableName, cmd.idempotency, movementIds),
    ),
    movementIds,
  };
}

/** Adjust on-hand by a signed delta. Taking units away needs them on hand and not promised to anyone. */
export function buildAdjust(tableName: string, cmd: AdjustCommand, parts: readonly ShardPart[]): Planned {
  const changes: ShardChange[] =
    cmd.delta > 0 ? adding(parts).map((c) => ({ ...c, upsert: false })) : removing(parts);
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.locationId,
      type: 'ADJUSTED',
      context: cmd.context,
      movementId: cmd.movementId,
    },
    changes,
  );
  return { ...plan(...steps, ...idempotencyStep(tableName, cmd.idempotency, movementIds)), movementIds };
}

/**
 * Set on-hand to a counted quantity, guarded by the version the delta was computed from: any change in between
 * makes the write fail with a version conflict instead of overwriting it. Unsharded levels only.
 */
export function buildCount(tableName: string, cmd: CountCommand, currentOnHand: number): Planned {
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.locationId,
      type: 'COUNTED',
      context: cmd.context,
      movementId: cmd.movementId,
    },
    [
      {
        shard: 0,
        delta: { onHand: cmd.onHand - currentOnHand },
        guard: { version: cmd.expectedVersion },
        upsert: false,
        needsActiveShard: false,
      },
    ],
  );
  return { ...plan(...steps, ...idempotencyStep(tableName, cmd.idempotency, movementIds)), movementIds };
}

/** Block moves available units to unavailable (damaged, quality control); unblock moves them back. */
export function buildBlock(tableName: string, cmd: BlockCommand, parts: readonly ShardPart[]): Planned {
  const blocking = cmd.direction === 'block';
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.locationId,
      type: blocking ? 'BLOCKED' : 'UNBLOCKED',
      context: cmd.context,
      movementId: cmd.movementId,
    },
    parts.map((p) => ({
      shard: p.shard,
      delta: { unavailable: blocking ? p.quantity : -p.quantity },
      guard: { bucket: blocking ? 'available' : 'unavailable', quantity: p.quantity },
      upsert: false,
      needsActiveShard: false,
    })),
  );
  return { ...plan(...steps, ...idempotencyStep(tableName, cmd.idempotency, movementIds)), movementIds };
}

/**
 * Transfer: units leave one level and arrive at another in the same transaction, or neither happens. Every
 * movement of the transfer records both sides (`transfer`), for its TransferCompleted event.
 */
export function buildTransfer(
  tableName: string,
  cmd: TransferCommand,
  outParts: readonly ShardPart[],
  inParts: readonly ShardPart[],
): Planned {
  const reference = cmd.context.reference ?? { type: 'transfer', id: cmd.outMovementId };
  const context = { ...cmd.context, reference };
  const transfer = {
    from: cmd.from,
    to: cmd.to,
    quantity: cmd.quantity,
    outMovementId: cmd.outMovementId,
    inMovementId: cmd.inMovementId,
  };
  const out = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.from,
      type: 'TRANSFERRED_OUT',
      context,
      movementId: cmd.outMovementId,
      transfer,
    },
    removing(outParts),
  );
  const into = shardSteps(
    tableName,
    {
      sku: cmd.sku,
      locationId: cmd.to,
      type: 'TRANSFERRED_IN',
      context,
      movementId: cmd.inMovementId,
      transfer,
    },
    adding(inParts),
  );
  const movementIds = [...out.movementIds, ...into.movementIds];
  return {
    ...plan(
      ...out.steps,
      ...into.steps,
      activeLocationStep(tableName, cmd.to),
      ...idempotencyStep(tableName, cmd.idempotency, movementIds),
    ),
    movementIds,
  };
}
