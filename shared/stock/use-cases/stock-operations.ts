import { NotFoundError, ValidationError } from '../../kernel/errors.js';
import type { IdempotencyKey, LocationId, Sku } from '../../kernel/identifiers.js';
import {
  type Attribution,
  changeContext,
  idempotencyRecord,
  type UseCaseDeps,
} from '../../platform/use-cases/context.js';
import { countPlan } from '../domain/count-plan.js';
import type { StockLevel } from '../domain/stock-level.js';
import type { WriteOutcome } from '../store/level-store.js';
import { type ChangeBase, type ChangedLevel, changeBase } from './change-base.js';

export interface StockChangeResult {
  readonly movementIds: readonly string[];
  /** The level after the change (as read right after it; later changes may already show). */
  readonly level: StockLevel;
  readonly replayed: boolean;
}

interface Keyed {
  readonly idempotencyKey?: IdempotencyKey | null;
}

async function levelAfter(deps: UseCaseDeps, sku: Sku, locationId: LocationId): Promise<StockLevel> {
  const level = await deps.levels.getLevel(sku, locationId);
  if (!level) throw new NotFoundError('level', `${sku}@${locationId}`);
  return level;
}

/** A change of one level: its command's common part (`changeBase`), the one store write, the level read back. */
async function changeLevel(
  deps: UseCaseDeps,
  who: Attribution,
  operation: string,
  input: ChangedLevel,
  request: Readonly<Record<string, unknown>>,
  write: (base: ChangeBase) => Promise<WriteOutcome>,
): Promise<StockChangeResult> {
  const outcome = await write(changeBase(deps, who, operation, input, request));
  return {
    movementIds: outcome.movementIds,
    level: await levelAfter(deps, input.sku, input.locationId),
    replayed: outcome.replayed,
  };
}

export interface ReceiveInput extends Keyed {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly quantity: number;
}

/**
 * Receive stock into a level.
 * 1. Allocate a movement id; build the idempotency record when a key is given.
 * 2. One transaction: level upserted (onHand and available + q), movement written, location checked active.
 * 3. Read the level back for the answer; on a replay answer the first movement id.
 */
export async function receiveStock(
  deps: UseCaseDeps,
  input: ReceiveInput,
  who: Attribution,
): Promise<StockChangeResult> {
  return changeLevel(deps, who, 'receive', input, { quantity: input.quantity }, (base) =>
    deps.levels.receive({ ...base, quantity: input.quantity }),
  );
}

export interface AdjustInput extends Keyed {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly delta: number;
}

/**
 * Adjust a level's on-hand by a signed delta, with a reason (shrinkage, found stock, damage written off).
 * 1. Require a reason: an adjustment without one cannot be audited.
 * 2. One transaction: level changed (taking units requires them available), movement written.
 * 3. Read the level back.
 */
export async function adjustStock(
  deps: UseCaseDeps,
  input: AdjustInput,
  who: Attribution,
): Promise<StockChangeResult> {
  if (!who.reason) throw new ValidationError('reason', 'reason is required for an adjustment');
  return changeLevel(deps, who, 'adjust', input, { delta: input.delta }, (base) =>
    deps.levels.adjust({ ...base, delta: input.delta }),
  );
}

export interface CountInput extends Keyed {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly onHand: number;
  readonly expectedVersion: number;
}

/**
 * Set a level's on-hand to a counted quantity, compare-and-set on the level's version.
 * 1. Read the level's shards (strongly consistent) and decide by `countPlan`: a sharded level or a version other
 *    than the expected one (without a key) is refused at once, as is a count below what is reserved, committed and
 *    blocked (those units are promised).
 * 3. One transaction guarded by `version = expected`: on-hand moved by (counted − current), movement written.
 *    Anything that changed the level since the read makes it fail as a version conflict.
 */
export async function countStock(
  deps: UseCaseDeps,
  input: CountInput,
  who: Attribution,
): Promise<StockChangeResult> {
  const plan = countPlan(input, await deps.levels.getLevelShards(input.sku, input.locationId));
  const { onHand, expectedVersion } = input;
  return changeLevel(deps, who, 'count', input, { onHand, expectedVersion }, (base) =>
    deps.levels.count({ ...base, onHand, expectedVersion }, plan.currentOnHand),
  );
}

export interface BlockInput extends Keyed {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly quantity: number;
  readonly direction: 'block' | 'unblock';
}

/**
 * Move units between available and unavailable (damaged, quality hold), in either direction.
 * 1. One transaction: level changed, guarded by the source bucket holding enough; movement written.
 * 2. Read the level back.
 */
export async function blockStock(
  deps: UseCaseDeps,
  input: BlockInput,
  who: Attribution,
): Promise<StockChangeResult> {
  return changeLevel(deps, who, input.direction, input, { quantity: input.quantity }, (base) =>
    deps.levels.block({ ...base, quantity: input.quantity, direction: input.direction }),
  );
}

export interface TransferInput extends Keyed {
  readonly sku: Sku;
  readonly from: LocationId;
  readonly to: LocationId;
  readonly quantity: number;
}

export interface TransferResult {
  readonly movementIds: readonly string[];
  readonly from: StockLevel;
  readonly to: StockLevel;
  readonly replayed: boolean;
}

/**
 * Transfer units between two locations, atomically.
 * 1. Refuse a transfer to the same location.
 * 2. One transaction: source level loses q (guarded by available), destination level gains q (created if
 *    new; the destination must be an active location), one movement on each.
 * 3. Read both levels back.
 */
export async function transferStock(
  deps: UseCaseDeps,
  input: TransferInput,
  who: Attribution,
): Promise<TransferResult> {
  if (input.from === input.to) throw new ValidationError('to', 'to must be a different location from from');
  const outMovementId = deps.ids.next();
  const inMovementId = deps.ids.next();
  const request = {
    sku: input.sku,
    from: input.from,
    to: input.to,
    quantity: input.quantity,
    reason: who.reason ?? null,
    reference: who.reference ?? null,
  };
  const outcome = await deps.levels.transfer({
    sku: input.sku,
    from: input.from,
    to: input.to,
    quantity: input.quantity,
    outMovementId,
    inMovementId,
    context: changeContext(deps, who),
    idempotency: idempotencyRecord(deps, who.actor, 'transfer', input.idempotencyKey, request),
  });
  const [from, to] = await Promise.all([
    levelAfter(deps, input.sku, input.from),
    levelAfter(deps, input.sku, input.to),
  ]);
  return {
    movementIds: outcome.movementIds,
    from,
    to,
    replayed: outcome.replayed,
  };
}
