import { BusinessRuleError, DomainError, ValidationError } from '../../kernel/errors.js';
import type { IdempotencyKey, LocationId, Sku } from '../../kernel/identifiers.js';
import type { MovementReference } from '../../stock/domain/movement.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';

/**
 * A batch of stock changes (docs/decisions/0026-batch-bounds.md): rows of receipts, adjustments, counts, blocks
 * and unblocks, each applied with its movement in the same transaction as its level, under one error policy.
 */
export const BATCH_POLICIES = ['all-or-nothing', 'skip-failed-rows'] as const;
export type BatchPolicy = (typeof BATCH_POLICIES)[number];

/** The most rows of one batch: what one request answers well within the API's deadline. */
export const MAX_BATCH_ROWS = 100;
/**
 * The most rows of an all-or-nothing batch: one TransactWriteItems holds at most 100 items, and a row needs at
 * most four (its level, its movement, its idempotency record, the check that its location is active).
 */
export const MAX_ATOMIC_ROWS = 25;

export const ROW_OPERATIONS = ['receipt', 'adjustment', 'count', 'block', 'unblock'] as const;
export type RowOperation = (typeof ROW_OPERATIONS)[number];

interface RowBase {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly reason?: string | undefined;
  readonly reference?: MovementReference | undefined;
  /** The row's own idempotency key: a replayed row answers its first result and applies nothing. */
  readonly idempotencyKey?: IdempotencyKey | undefined;
}

export type BatchRow =
  | (RowBase & { readonly op: 'receipt'; readonly quantity: number })
  | (RowBase & { readonly op: 'adjustment'; readonly delta: number })
  | (RowBase & { readonly op: 'count'; readonly onHand: number; readonly expectedVersion: number })
  | (RowBase & { readonly op: 'block' | 'unblock'; readonly quantity: number });

/** What happened to one row. A refused row changed nothing; under all-or-nothing neither did any other row. */
export type RowOutcome =
  | {
      readonly index: number;
      readonly status: 'applied' | 'replayed';
      readonly movementIds: readonly string[];
      readonly level: StockLevel;
    }
  | { readonly index: number; readonly status: 'refused'; readonly error: DomainError };

export interface BatchCounts {
  readonly rows: number;
  readonly applied: number;
  readonly replayed: number;
  readonly refused: number;
}

export function countOutcomes(outcomes: readonly { readonly status: RowOutcome['status'] }[]): BatchCounts {
  const of = (status: RowOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return { rows: outcomes.length, applied: of('applied'), replayed: of('replayed'), refused: of('refused') };
}

export const levelOf = (row: Pick<BatchRow, 'sku' | 'locationId'>): string => `${row.sku}@${row.locationId}`;

/**
 * The field of a row that a refusal is about, by the refusal's code: the quantity for a shortage, the expected
 * version for a conflict, the location for an inactive or forbidden one, the key for a reused key.
 */
export function fieldOfRefusal(row: BatchRow, code: string, field?: unknown): string {
  if (typeof field === 'string') return field;
  switch (code) {
    case 'insufficient-stock':
      return row.op === 'adjustment' ? 'delta' : row.op === 'count' ? 'onHand' : 'quantity';
    case 'version-conflict':
      return 'expectedVersion';
    case 'location-inactive':
    case 'forbidden':
      return 'locationId';
    case 'idempotency-key-reused':
      return 'idempotencyKey';
    default:
      return 'sku';
  }
}

/**
 * Rows an all-or-nothing batch cannot hold in one transaction: a second row on a level already changed by an
 * earlier row (DynamoDB refuses two actions on one item in a transaction), or a key an earlier row carries.
 * Returns, per refused row index, the field and why.
 */
export function atomicClashes(
  rows: readonly BatchRow[],
): Map<number, { readonly field: string; readonly detail: string }> {
  const clashes = new Map<number, { field: string; detail: string }>();
  const levels = new Map<string, number>();
  const keys = new Map<string, number>();
  rows.forEach((row, index) => {
    const earlier = levels.get(levelOf(row));
    if (earlier !== undefined) {
      clashes.set(index, {
        field: 'sku',
        detail: `row ${earlier} already changes ${levelOf(row)}: an all-or-nothing batch changes each level once (merge the rows, or use skip-failed-rows)`,
      });
    } else levels.set(levelOf(row), index);
    if (row.idempotencyKey) {
      const sameKey = keys.get(row.idempotencyKey);
      if (sameKey !== undefined && !clashes.has(index)) {
        clashes.set(index, {
          field: 'idempotencyKey',
          detail: `row ${sameKey} carries the same idempotency key`,
        });
      } else keys.set(row.idempotencyKey, index);
    }
  });
  return clashes;
}

/** A row at a location the caller may not operate at. */
export class RowForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly details: { locationId: LocationId };
  constructor(locationId: LocationId) {
    super(`the caller may not operate on location ${locationId}`);
    this.name = 'RowForbiddenError';
    this.details = { locationId };
  }
}

/**
 * A row of a skip-failed-rows batch that was not started: the request's time was running out. Nothing of it was
 * changed; it is answered like a store that did not answer in time (`service-busy`), to be sent again.
 */
export class RowNotStartedError extends DomainError {
  readonly code = 'store-unavailable';
  readonly details = { retryAfterSeconds: 1 };
  constructor() {
    super('not started: the batch ran out of time before this row; nothing of it was changed, send it again');
    this.name = 'RowNotStartedError';
  }
}

/** A row an all-or-nothing batch can hold in no transaction (see `atomicClashes`). */
export class RowClashError extends ValidationError {}

/** A valid row of an all-or-nothing batch that another row refused: nothing of the batch was applied. */
export class BatchNotAppliedError extends BusinessRuleError {
  constructor(refusedRows: readonly number[]) {
    super(
      'batch-not-applied',
      `not applied: the batch is all-or-nothing and row${refusedRows.length > 1 ? 's' : ''} ${refusedRows.join(', ')} refused it`,
    );
    this.name = 'BatchNotAppliedError';
  }
}
