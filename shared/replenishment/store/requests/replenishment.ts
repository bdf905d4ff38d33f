import type {
  CancelReplenishmentCommand,
  ChangeContext,
  OpenReplenishmentCommand,
  PolicyCommand,
  ReceiveReplenishmentCommand,
} from '../../../platform/store/commands.js';
import type { Condition } from '../../../platform/store/conditions.js';
import { openReplenishmentKey } from '../../../platform/store/keys.js';
import { movementItem, replenishmentItem } from '../../../platform/store/records.js';
import type { ShardPart } from '../../../stock/domain/sharding.js';
import { compactDelta } from '../../../stock/domain/stock-level.js';
import {
  atLeast,
  levelUpdate,
  putNew,
  type TransactItem,
} from '../../../stock/store/requests/level-change.js';
import {
  idempotencyStep,
  type PlannedTransaction,
  plan,
  type Step,
} from '../../../stock/store/requests/plan.js';
import { type ShardChange, shardSteps } from '../../../stock/store/requests/shard-changes.js';
import { activeLocationStep, type Planned } from '../../../stock/store/requests/stock-changes.js';
import { planReceipt, type ReplenishmentRequest } from '../../domain/replenishment.js';

/**
 * Pure builders of the replenishment transactions of docs/data-model.md: the policy change, and opening,
 * receiving and cancelling a replenishment request. `incoming` lives on shard 0 of a level, with the policy.
 */

const safetyStockIs = (n: number): Condition => ({
  name: 'safetyStockIs',
  expression: '#g_safetyStock = :g_safetyStock',
  names: { '#g_safetyStock': 'safetyStock' },
  values: { ':g_safetyStock': n },
});

/**
 * A policy change: one transaction of shard 0 and its POLICY_SET movement. The safety stock moves by the delta
 * (`available` the other way, in the same update), guarded by the safety stock that was read (compare-and-set:
 * concurrent reserves do not conflict with it) and, when it rises, by `available` holding the units it takes.
 * The reorder point and quantity are set as given.
 */
export function buildPolicyChange(tableName: string, cmd: PolicyCommand): Planned {
  const take = Math.max(0, cmd.safetyStockDelta);
  const set: Record<string, unknown> = {};
  if (cmd.reorderPoint !== undefined) set.reorderPoint = cmd.reorderPoint;
  if (cmd.reorderQuantity !== undefined) set.reorderQuantity = cmd.reorderQuantity;
  const delta = compactDelta({ safetyStock: cmd.safetyStockDelta });
  const level = levelUpdate(tableName, {
    sku: cmd.sku,
    locationId: cmd.locationId,
    shard: 0,
    delta,
    movementId: cmd.movementId,
    at: cmd.context.at,
    guards: [safetyStockIs(cmd.expectedSafetyStock), ...(take > 0 ? [atLeast('available', take)] : [])],
    upsert: false,
    set,
  });
  const movement = putNew(
    tableName,
    movementItem({
      movementId: cmd.movementId,
      sku: cmd.sku,
      locationId: cmd.locationId,
      shard: 0,
      type: 'POLICY_SET',
      delta,
      reason: cmd.context.reason,
      reference: cmd.context.reference,
      reservationId: null,
      actor: cmd.context.actor,
      at: cmd.context.at,
    }),
  );
  return {
    ...plan(
      [
        level,
        {
          role: 'policy-level',
          sku: cmd.sku,
          locationId: cmd.locationId,
          expectedSafetyStock: cmd.expectedSafetyStock,
          take,
        },
      ],
      [movement, { role: 'movement' }],
    ),
    movementIds: [cmd.movementId],
  };
}

const replenishmentReference = (request: ReplenishmentRequest) => ({
  type: 'replenishment',
  id: request.requestId,
});

/** The level change of shard 0 that moves `incoming` and its movement. */
function incomingSteps(
  tableName: string,
  request: ReplenishmentRequest,
  type: 'REPLENISHMENT_REQUESTED' | 'REPLENISHMENT_CANCELLED',
  incoming: number,
  movementId: string,
  context: ChangeContext,
): Step[] {
  return shardSteps(
    tableName,
    {
      sku: request.sku,
      locationId: request.locationId,
      type,
      context,
      movementId,
      reference: replenishmentReference(request),
    },
    [
      {
        shard: 0,
        delta: { incoming },
        guard: incoming < 0 ? { bucket: 'incoming', quantity: -incoming } : null,
        upsert: false,
        needsActiveShard: false,
      },
    ],
  ).steps;
}

/**
 * Open a replenishment request: one transaction. The request is put at its level's fixed key and must not
 * exist (at most one open request per level); `incoming` of shard 0 rises by the quantity, with a
 * REPLENISHMENT_REQUESTED movement whose id derives from the request, so that a request opened before (even
 * closed since) cannot be opened again.
 */
export function buildOpenReplenishment(tableName: string, cmd: OpenReplenishmentCommand): PlannedTransaction {
  const { request } = cmd;
  const [level, movement] = incomingSteps(
    tableName,
    request,
    'REPLENISHMENT_REQUESTED',
    request.quantity,
    cmd.movementId,
    cmd.context,
  );
  if (!level || !movement) throw new Error('a replenishment request changes one level shard');
  return plan(
    [
      putNew(tableName, replenishmentItem(request)),
      { role: 'replenishment-new', requestId: request.requestId },
    ],
    level,
    [movement[0], { role: 'replenishment-movement', requestId: request.requestId }],
  );
}

/** The open request as it was read: same id, same received quantity, still open. */
function openAsRead(request: ReplenishmentRequest): Condition[] {
  return [
    {
      name: 'sameRequest',
      expression: '#requestId = :requestId',
      names: { '#requestId': 'requestId' },
      values: { ':requestId': request.requestId },
    },
    {
      name: 'receivedAsRead',
      expression: '#receivedQuantity = :receivedAsRead',
      names: { '#receivedQuantity': 'receivedQuantity' },
      values: { ':receivedAsRead': request.receivedQuantity },
    },
  ];
}

function closeSteps(tableName: string, request: ReplenishmentRequest, closed: ReplenishmentRequest): Step[] {
  const conditions = openAsRead(request);
  const deleteOpen: TransactItem = {
    Delete: {
      TableName: tableName,
      Key: openReplenishmentKey(request.sku, request.locationId),
      ConditionExpression: conditions.map((c) => `(${c.expression})`).join(' AND '),
      ExpressionAttributeNames: Object.assign({}, ...conditions.map((c) => c.names)),
      ExpressionAttributeValues: Object.assign({}, ...conditions.map((c) => c.values)),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
  return [
    [deleteOpen, { role: 'replenishment-open', requestId: request.requestId }],
    [
      putNew(tableName, replenishmentItem(closed)),
      { role: 'replenishment-closed', requestId: request.requestId },
    ],
  ];
}

/**
 * Receive units against an open request: one transaction. The units are added to the level like a receipt
 * (spread over its active shards from shard 0, RECEIVED movements referencing the request); shard 0 also gives
 * up to the outstanding quantity from `incoming`. The request is closed (moved to its own key as RECEIVED) when
 * the receipt completes it, or has its received quantity raised; either way only as it was read.
 */
export function buildReplenishmentReceipt(
  tableName: string,
  cmd: ReceiveReplenishmentCommand,
  parts: readonly ShardPart[],
): Planned {
  const { request } = cmd;
  const receipt = planReceipt(request, cmd.quantity);
  const changes: ShardChange[] = parts.map((p) => ({
    shard: p.shard,
    delta: p.shard === 0 ? { onHand: p.quantity, incoming: -receipt.fromIncoming } : { onHand: p.quantity },
    guard:
      p.shard === 0 && receipt.fromIncoming > 0
        ? { bucket: 'incoming', quantity: receipt.fromIncoming }
        : null,
    upsert: false,
    needsActiveShard: true,
  }));
  if (!parts.some((p) => p.shard === 0)) throw new Error('a replenishment receipt includes shard 0');
  const { steps, movementIds } = shardSteps(
    tableName,
    {
      sku: request.sku,
      locationId: request.locationId,
      type: 'RECEIVED',
      context: cmd.context,
      movementId: cmd.movementId,
      reference: replenishmentReference(request),
    },
    changes,
  );
  const requestSteps: Step[] = receipt.closes
    ? closeSteps(tableName, request, {
        ...request,
        status: 'RECEIVED',
        receivedQuantity: receipt.receivedAfter,
        updatedAt: cmd.context.at,
        closedAt: cmd.context.at,
        closedBy: cmd.context.actor,
        reason: cmd.context.reason,
      })
    : [receivedUpdate(tableName, request, receipt.receivedAfter, cmd.context.at)];
  return {
    ...plan(
      ...requestSteps,
      ...steps,
      activeLocationStep(tableName, request.locationId),
      ...idempotencyStep(tableName, cmd.idempotency, movementIds),
    ),
    movementIds,
  };
}

function receivedUpdate(
  tableName: string,
  request: ReplenishmentRequest,
  receivedAfter: number,
  at: string,
): Step {
  const conditions = openAsRead(request);
  return [
    {
      Update: {
        TableName: tableName,
        Key: openReplenishmentKey(request.sku, request.locationId),
        UpdateExpression: 'SET #receivedQuantity = :receivedAfter, #updatedAt = :at',
        ConditionExpression: conditions.map((c) => `(${c.expression})`).join(' AND '),
        ExpressionAttributeNames: Object.assign(
          { '#updatedAt': 'updatedAt' },
          ...conditions.map((c) => c.names),
        ),
        ExpressionAttributeValues: Object.assign(
          { ':receivedAfter': receivedAfter, ':at': at },
          ...conditions.map((c) => c.values),
        ),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { role: 'replenishment-open', requestId: request.requestId },
  ];
}

/**
 * Cancel an open request: one transaction. The request is closed (moved to its own key as CANCELLED) as it was
 * read; what it still expected leaves `incoming` of shard 0, with a REPLENISHMENT_CANCELLED movement.
 */
export function buildCancelReplenishment(tableName: string, cmd: CancelReplenishmentCommand): Planned {
  const { request } = cmd;
  const outstanding = request.quantity - request.receivedQuantity;
  const closed: ReplenishmentRequest = {
    ...request,
    status: 'CANCELLED',
    updatedAt: cmd.context.at,
    closedAt: cmd.context.at,
    closedBy: cmd.context.actor,
    reason: cmd.context.reason,
  };
  const incoming =
    outstanding > 0
      ? incomingSteps(
          tableName,
          request,
          'REPLENISHMENT_CANCELLED',
          -outstanding,
          cmd.movementId,
          cmd.context,
        )
      : [];
  return {
    ...plan(...closeSteps(tableName, request, closed), ...incoming),
    movementIds: outstanding > 0 ? [cmd.movementId] : [],
  };
}
