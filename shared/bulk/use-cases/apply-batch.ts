import pLimit from 'p-limit';
import { DomainError, NotFoundError, OutcomeUnknownError } from '../../kernel/errors.js';
import type { LocationId, PrincipalId } from '../../kernel/identifiers.js';
import type { Attribution, UseCaseDeps } from '../../platform/use-cases/context.js';
import { countPlan } from '../../stock/domain/count-plan.js';
import { changeBase } from '../../stock/use-cases/change-base.js';
import {
  adjustStock,
  blockStock,
  countStock,
  receiveStock,
  type StockChangeResult,
} from '../../stock/use-cases/stock-operations.js';
import {
  atomicClashes,
  BatchNotAppliedError,
  type BatchPolicy,
  type BatchRow,
  levelOf,
  RowClashError,
  RowForbiddenError,
  RowNotStartedError,
  type RowOutcome,
} from '../domain/batch.js';
import type { BatchCommand, BatchStore } from '../store/batch-store.js';

export interface BatchDeps extends UseCaseDeps {
  readonly batches: BatchStore;
}

export interface BatchInput {
  readonly policy: BatchPolicy;
  readonly rows: readonly BatchRow[];
  /**
   * Epoch ms (by the deps' clock) after which no further row of a skip-failed-rows batch is started, so that the
   * rows started can finish before the request's deadline; absent: no limit.
   */
  readonly startBy?: number;
}

/** Rows of a skip-failed-rows batch sent at once (rows on one level always go one after the other). */
export const ROW_CONCURRENCY = 8;

/** The operation a row's idempotency key is scoped to: the same as the single route's, so keys agree. */
const OPERATION = {
  receipt: 'receive',
  adjustment: 'adjust',
  count: 'count',
  block: 'block',
  unblock: 'unblock',
};

const attribution = (actor: PrincipalId, row: BatchRow): Attribution => ({
  actor,
  reason: row.reason ?? null,
  reference: row.reference ?? null,
});

/**
 * Apply a batch of stock changes under its error policy.
 * 1. Refuse each row at a location the caller may not operate at (`mayOperateAt`).
 * 2. all-or-nothing: refuse rows that one transaction cannot hold (two on one level, a repeated key) and counts
 *    whose level is not at the expected version; if any row is refused, answer every row and apply nothing.
 *    Otherwise one transaction writes every row's level change and movement (`applyAtomically`); a replayed
 *    row answers its first result; the levels are read back.
 * 3. skip-failed-rows: each permitted row through its stock use case (one transaction with its movement each),
 *    rows on one level in their order, up to ROW_CONCURRENCY levels at once; a refused row is reported. A row
 *    not started by `startBy` is refused as not started (nothing of it changed: send it again).
 * 4. A row whose outcome is unknown makes the batch's outcome unknown (OutcomeUnknownError): repeating the batch
 *    with the same row keys answers what was applied and applies the rest once.
 */
export async function applyBatch(
  deps: BatchDeps,
  input: BatchInput,
  actor: PrincipalId,
  mayOperateAt: (locationId: LocationId) => boolean,
): Promise<RowOutcome[]> {
  const forbidden = new Map<number, DomainError>();
  input.rows.forEach((row, index) => {
    if (!mayOperateAt(row.locationId)) forbidden.set(index, new RowForbiddenError(row.locationId));
  });
  return input.policy === 'all-or-nothing'
    ? applyAllOrNothing(deps, input.rows, actor, forbidden)
    : applyEachRow(deps, input.rows, actor, forbidden, input.startBy);
}

async function applyAllOrNothing(
  deps: BatchDeps,
  rows: readonly BatchRow[],
  actor: PrincipalId,
  refusals: Map<number, DomainError>,
): Promise<RowOutcome[]> {
  for (const [index, clash] of atomicClashes(rows)) {
    if (!refusals.has(index)) refusals.set(index, new RowClashError(clash.field, clash.detail));
  }
  const commands: BatchCommand[] = [];
  for (const [index, row] of rows.entries()) {
    try {
      commands.push(await commandOf(deps, row, actor));
    } catch (error) {
      if (!(error instanceof DomainError) || error instanceof OutcomeUnknownError) throw error;
      if (!refusals.has(index)) refusals.set(index, error);
    }
  }
  if (refusals.size === 0) {
    const outcome = await deps.batches.applyAtomically(commands);
    if (outcome.applied) {
      return Promise.all(
        outcome.outcomes.map(async (o, index) => ({
          index,
          status: o.replayed ? ('replayed' as const) : ('applied' as const),
          movementIds: o.movementIds,
          level: await levelAfter(deps, rows[index] as BatchRow),
        })),
      );
    }
    for (const [index, error] of outcome.refusals) refusals.set(index, error);
  }
  const refused = [...refusals.keys()].sort((a, b) => a - b);
  return rows.map((_, index) => ({
    index,
    status: 'refused' as const,
    error: refusals.get(index) ?? new BatchNotAppliedError(refused),
  }));
}

/**
 * The stock feature's command for a row, as its use case builds it. A count reads its level first and decides by
 * the count use case's `countPlan`: the write is guarded by the expected version, so a change in between refuses it.
 */
async function commandOf(deps: BatchDeps, row: BatchRow, actor: PrincipalId): Promise<BatchCommand> {
  const base = (request: Readonly<Record<string, unknown>>) =>
    changeBase(deps, attribution(actor, row), OPERATION[row.op], row, request);
  switch (row.op) {
    case 'receipt':
      return { kind: 'receive', cmd: { ...base({ quantity: row.quantity }), quantity: row.quantity } };
    case 'adjustment':
      return { kind: 'adjust', cmd: { ...base({ delta: row.delta }), delta: row.delta } };
    case 'block':
    case 'unblock':
      return {
        kind: 'block',
        cmd: { ...base({ quantity: row.quantity }), quantity: row.quantity, direction: row.op },
      };
    case 'count': {
      const plan = countPlan(row, await deps.levels.getLevelShards(row.sku, row.locationId));
      const { onHand, expectedVersion } = row;
      return {
        kind: 'count',
        cmd: { ...base({ onHand, expectedVersion }), onHand, expectedVersion },
        currentOnHand: plan.currentOnHand,
      };
    }
  }
}

async function levelAfter(deps: BatchDeps, row: BatchRow) {
  const level = await deps.levels.getLevel(row.sku, row.locationId);
  if (!level) throw new NotFoundError('level', levelOf(row));
  return level;
}

async function applyEachRow(
  deps: BatchDeps,
  rows: readonly BatchRow[],
  actor: PrincipalId,
  forbidden: ReadonlyMap<number, DomainError>,
  startBy: number | undefined,
): Promise<RowOutcome[]> {
  const byLevel = new Map<string, number[]>();
  rows.forEach((row, index) => {
    if (forbidden.has(index)) return;
    byLevel.set(levelOf(row), [...(byLevel.get(levelOf(row)) ?? []), index]);
  });
  const outcomes = new Map<number, RowOutcome>();
  for (const [index, error] of forbidden) outcomes.set(index, { index, status: 'refused', error });
  const unknown: number[] = [];
  const limit = pLimit(ROW_CONCURRENCY);
  await Promise.all(
    [...byLevel.values()].map((indexes) =>
      limit(async () => {
        for (const index of indexes) {
          if (startBy !== undefined && deps.clock.now() > startBy) {
            outcomes.set(index, { index, status: 'refused', error: new RowNotStartedError() });
            continue;
          }
          try {
            const result = await applyRow(deps, rows[index] as BatchRow, actor);
            outcomes.set(index, {
              index,
              status: result.replayed ? 'replayed' : 'applied',
              movementIds: result.movementIds,
              level: result.level,
            });
          } catch (error) {
            if (error instanceof OutcomeUnknownError) unknown.push(index);
            else if (error instanceof DomainError) outcomes.set(index, { index, status: 'refused', error });
            else throw error;
          }
        }
      }),
    ),
  );
  if (unknown.length > 0) throw new OutcomeUnknownError({ unknownRows: unknown.sort((a, b) => a - b) });
  return rows.map((_, index) => outcomes.get(index) as RowOutcome);
}

function applyRow(deps: BatchDeps, row: BatchRow, actor: PrincipalId): Promise<StockChangeResult> {
  const who = attribution(actor, row);
  const level = { sku: row.sku, locationId: row.locationId, idempotencyKey: row.idempotencyKey ?? null };
  switch (row.op) {
    case 'receipt':
      return receiveStock(deps, { ...level, quantity: row.quantity }, who);
    case 'adjustment':
      return adjustStock(deps, { ...level, delta: row.delta }, who);
    case 'count':
      return countStock(deps, { ...level, onHand: row.onHand, expectedVersion: row.expectedVersion }, who);
    case 'block':
    case 'unblock':
      return blockStock(deps, { ...level, quantity: row.quantity, direction: row.op }, who);
  }
}
