import {
  BusinessRuleError,
  ConcurrencyLimitError,
  IdempotencyConflictError,
  InsufficientStockError,
  NotFoundError,
  ValidationError,
} from '../../kernel/errors.js';
import {
  type IdempotencyKey,
  type LocationId,
  type PrincipalId,
  parsePrincipalId,
  type Sku,
} from '../../kernel/identifiers.js';
import { deterministicUlid } from '../../kernel/ids.js';
import {
  type Attribution,
  changeContext,
  idempotencyRecord,
  type UseCaseDeps,
} from '../../platform/use-cases/context.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';
import type { PolicyChange, ReplenishmentRequest, ReplenishmentState } from '../domain/replenishment.js';
import type { ReplenishmentPage } from '../store/replenishment-store.js';

/** The principal that opens replenishment requests (the consumer of StockLow). */
export const REPLENISHMENT_ACTOR: PrincipalId = parsePrincipalId('system:replenishment');

/** A request that no longer is as it was read is read again this many times before giving up (HTTP 503). */
const ATTEMPTS = 4;

async function levelOf(deps: UseCaseDeps, sku: Sku, locationId: LocationId): Promise<StockLevel> {
  const level = await deps.levels.getLevel(sku, locationId);
  if (!level) throw new NotFoundError('level', `${sku}@${locationId}`);
  return level;
}

const describePolicy = (rp: number | null, rq: number | null, safetyStock: number) =>
  `policy: reorderPoint=${rp ?? 'none'}, reorderQuantity=${rq ?? 'none'}, safetyStock=${safetyStock}`;

/**
 * Set a level's replenishment policy (reorder point, reorder quantity, safety stock); absent fields keep
 * their value, null clears a reorder point or quantity.
 * 1. Read shard 0 of the level (strongly consistent): it holds the policy and the safety stock.
 * 2. Refuse a reorder quantity without a reorder point, and a safety stock that would take more than shard 0
 *    has available (available never goes negative; on a sharded level the safety stock lives on shard 0).
 * 3. One transaction: shard 0's safety stock moves by the difference (available the other way) guarded by the
 *    safety stock read (compare-and-set: concurrent reserves do not conflict with it) and by available; the
 *    reorder point and quantity are set; a POLICY_SET movement records it, so replay still equals counters.
 * 4. If the safety stock changed since the read, read again (a bounded number of times).
 */
export async function setReplenishmentPolicy(
  deps: UseCaseDeps,
  input: { sku: Sku; locationId: LocationId } & PolicyChange,
  who: Attribution,
): Promise<StockLevel> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const shard0 = await deps.levels.getLevelShard(input.sku, input.locationId, 0);
    if (!shard0) throw new NotFoundError('level', `${input.sku}@${input.locationId}`);
    const reorderPoint =
      input.reorderPoint !== undefined ? input.reorderPoint : (shard0.reorderPoint ?? null);
    // Clearing the reorder point clears the reorder quantity, unless one is given (which is then refused).
    const reorderQuantity =
      input.reorderQuantity !== undefined
        ? input.reorderQuantity
        : input.reorderPoint === null
          ? null
          : (shard0.reorderQuantity ?? null);
    if (reorderPoint === null && reorderQuantity !== null) {
      throw new ValidationError('reorderQuantity', 'a reorder quantity needs a reorder point');
    }
    const safetyStock = input.safetyStock ?? shard0.safetyStock;
    const delta = safetyStock - shard0.safetyStock;
    if (delta > shard0.available) {
      throw new InsufficientStockError({
        sku: input.sku,
        locationId: input.locationId,
        requested: delta,
        available: shard0.available,
      });
    }
    const applied = await deps.levels.changePolicy({
      sku: input.sku,
      locationId: input.locationId,
      expectedSafetyStock: shard0.safetyStock,
      safetyStockDelta: delta,
      ...(input.reorderPoint !== undefined ? { reorderPoint } : {}),
      ...(input.reorderQuantity !== undefined || input.reorderPoint === null ? { reorderQuantity } : {}),
      movementId: deps.ids.next(),
      context: changeContext(deps, {
        ...who,
        reason: who.reason ?? describePolicy(reorderPoint, reorderQuantity, safetyStock),
      }),
    });
    if (applied) return levelOf(deps, input.sku, input.locationId);
  }
  throw new ConcurrencyLimitError(1);
}

/** What the consumer of StockLow needs of the event (its `detail`). */
export interface LowStockReport {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly available: number;
  readonly reorderPoint: number;
  readonly reorderQuantity: number | null;
  readonly movementId: string;
}

export type OpenRequestResult =
  | { readonly outcome: 'opened' | 'replay'; readonly request: ReplenishmentRequest | null }
  | { readonly outcome: 'already-open'; readonly request: ReplenishmentRequest }
  /** The level's policy has no reorder quantity: StockLow only alerts. */
  | { readonly outcome: 'alert-only'; readonly request: null };

/**
 * The consumer of StockLow: open a replenishment request for the level, unless one is open. Idempotent under
 * duplicate events.
 * 1. A policy without a reorder quantity only alerts: nothing is opened.
 * 2. The request id derives from the StockLow's event id, and the movement id from the request id: a duplicate
 *    event makes the same request.
 * 3. One transaction: the request is put at the level's fixed key, which must be free (at most one open request
 *    per level); shard 0's `incoming` rises by the reorder quantity, with a REPLENISHMENT_REQUESTED movement,
 *    which must be new (a request opened before, even if closed since, is not opened again). Its stream records
 *    produce ReplenishmentRequested.
 */
export async function openReplenishmentRequest(
  deps: UseCaseDeps,
  report: LowStockReport,
): Promise<OpenRequestResult> {
  if (report.reorderQuantity === null) return { outcome: 'alert-only', request: null };
  const time = Date.parse(report.occurredAt);
  const requestId = deterministicUlid(time, 'replenishment', report.eventId);
  const at = new Date(deps.clock.now()).toISOString();
  const request: ReplenishmentRequest = {
    requestId,
    sku: report.sku,
    locationId: report.locationId,
    quantity: report.reorderQuantity,
    receivedQuantity: 0,
    status: 'OPEN',
    trigger: {
      eventId: report.eventId,
      movementId: report.movementId,
      available: report.available,
      reorderPoint: report.reorderPoint,
    },
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    closedBy: null,
    reason: null,
  };
  const outcome = await deps.replenishments.openReplenishment({
    request,
    movementId: deterministicUlid(time, requestId, 'requested'),
    context: changeContext(deps, {
      actor: REPLENISHMENT_ACTOR,
      reason: `available ${report.available} below reorder point ${report.reorderPoint}`,
      reference: { type: 'replenishment', id: requestId },
    }),
  });
  if (outcome.kind === 'opened') return { outcome: 'opened', request };
  if (outcome.kind === 'already-open') return { outcome: 'already-open', request: outcome.open };
  return {
    outcome: 'replay',
    request: await deps.replenishments.getReplenishment(report.sku, report.locationId, requestId),
  };
}

export interface RequestRef {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly requestId: string;
}

/** One request of a level, open or closed. */
export async function getReplenishment(deps: UseCaseDeps, ref: RequestRef): Promise<ReplenishmentRequest> {
  const request = await deps.replenishments.getReplenishment(ref.sku, ref.locationId, ref.requestId);
  if (!request) throw new NotFoundError('replenishment', ref.requestId);
  return request;
}

/** The request is not open (any more): a missing one is not found, a closed one is a business-rule refusal. */
async function notOpen(deps: UseCaseDeps, ref: RequestRef): Promise<never> {
  const request = await getReplenishment(deps, ref);
  throw new BusinessRuleError('replenishment-closed', `replenishment ${ref.requestId} is ${request.status}`);
}

export interface ReceiveAgainstInput extends RequestRef {
  readonly quantity: number;
  readonly idempotencyKey?: IdempotencyKey | null;
}

export interface ReplenishmentReceipt {
  readonly request: ReplenishmentRequest;
  readonly level: StockLevel;
  readonly movementIds: readonly string[];
  readonly replayed: boolean;
}

/**
 * Receive stock against an open request.
 * 1. Read the level's open request (strongly consistent); another id or none: a replay of a keyed receipt is
 *    answered with its first result, otherwise the request is closed (422) or unknown (404).
 * 2. One transaction, compare-and-set on the request as read (its received quantity): the units are added to
 *    the level like a receipt (RECEIVED movements referencing the request), up to the outstanding quantity
 *    leaves `incoming` (units beyond it just add to on-hand), and the request is closed as RECEIVED when the
 *    receipt completes it, or has its received quantity raised.
 * 3. A request changed since the read (a concurrent receipt): read it again, a bounded number of times.
 */
export async function receiveReplenishment(
  deps: UseCaseDeps,
  input: ReceiveAgainstInput,
  who: Attribution,
): Promise<ReplenishmentReceipt> {
  const idempotency = idempotencyRecord(deps, who.actor, 'receive-replenishment', input.idempotencyKey, {
    sku: input.sku,
    locationId: input.locationId,
    requestId: input.requestId,
    quantity: input.quantity,
    reason: who.reason ?? null,
  });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const open = await deps.replenishments.getOpenReplenishment(input.sku, input.locationId);
    if (!open || open.requestId !== input.requestId) {
      if (idempotency) {
        const first = await deps.idempotency.getRemembered(idempotency.hashedKey);
        if (first && first.requestHash !== idempotency.requestHash) {
          throw new IdempotencyConflictError(idempotency.key);
        }
        if (first) {
          return {
            request: await getReplenishment(deps, input),
            level: await levelOf(deps, input.sku, input.locationId),
            movementIds: first.movementIds,
            replayed: true,
          };
        }
      }
      return notOpen(deps, input);
    }
    const outcome = await deps.replenishments.receiveReplenishment({
      request: open,
      quantity: input.quantity,
      movementId: deps.ids.next(),
      context: changeContext(deps, {
        ...who,
        reference: { type: 'replenishment', id: open.requestId },
      }),
      idempotency,
    });
    if (outcome === 'changed') continue;
    return {
      request: await getReplenishment(deps, input),
      level: await levelOf(deps, input.sku, input.locationId),
      movementIds: outcome.movementIds,
      replayed: outcome.replayed,
    };
  }
  throw new ConcurrencyLimitError(1);
}

export interface CancelResult {
  /** False when the request was already cancelled: nothing changed. */
  readonly changed: boolean;
  readonly request: ReplenishmentRequest;
}

/**
 * Cancel an open request.
 * 1. Read the level's open request; an already cancelled one is a replay (`changed: false`), a received one a
 *    business-rule refusal, an unknown one not found.
 * 2. One transaction, compare-and-set on the request as read: it is closed as CANCELLED, and what it still
 *    expected leaves `incoming` with a REPLENISHMENT_CANCELLED movement.
 */
export async function cancelReplenishment(
  deps: UseCaseDeps,
  input: RequestRef,
  who: Attribution,
): Promise<CancelResult> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const open = await deps.replenishments.getOpenReplenishment(input.sku, input.locationId);
    if (!open || open.requestId !== input.requestId) {
      const closed = await deps.replenishments.getReplenishment(input.sku, input.locationId, input.requestId);
      if (closed?.status === 'CANCELLED') return { changed: false, request: closed };
      return notOpen(deps, input);
    }
    const cancelled = await deps.replenishments.cancelReplenishment({
      request: open,
      movementId: deps.ids.next(),
      context: changeContext(deps, {
        ...who,
        reference: { type: 'replenishment', id: open.requestId },
      }),
    });
    if (cancelled) return { changed: true, request: await getReplenishment(deps, input) };
  }
  throw new ConcurrencyLimitError(1);
}

export interface ListReplenishmentsInput {
  readonly state?: ReplenishmentState;
  /** With `locationId`: one level's requests. A SKU alone is refused. */
  readonly sku?: Sku | null;
  /** Alone: every level's requests at this location. */
  readonly locationId?: LocationId | null;
  /** Only requests at these locations (a warehouse caller's); null or absent: every location. */
  readonly within?: ReadonlySet<LocationId> | null;
  readonly limit?: number;
  readonly cursor?: string | null;
}

/**
 * List replenishment requests, open (the default) or closed, of one level or of every level, newest first.
 * Every level's come from the `replenishments` index (eventually consistent); one level's from its partition.
 * A location filter (`locationId` alone, or `within`) is applied to every level's requests as index pages are
 * read, up to 5 of them: a page may still hold fewer than `limit` requests while there are more (its cursor
 * says so).
 */
export function listReplenishments(
  deps: UseCaseDeps,
  input: ListReplenishmentsInput = {},
): Promise<ReplenishmentPage> {
  const sku = input.sku ?? null;
  const locationId = input.locationId ?? null;
  if (sku !== null && locationId === null) {
    throw new ValidationError('sku', 'a sku needs a locationId: together they name one level');
  }
  const limit = input.limit ?? 25;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ValidationError('limit', 'limit must be an integer from 1 to 100');
  }
  const state = input.state ?? 'OPEN';
  if (state !== 'OPEN' && state !== 'CLOSED')
    throw new ValidationError('state', 'state must be OPEN or CLOSED');
  const within = input.within ?? null;
  const oneLevel = sku !== null && locationId !== null;
  if (oneLevel && within !== null && !within.has(locationId)) {
    return Promise.resolve({ requests: [], nextCursor: null });
  }
  const query = { state, sku: oneLevel ? sku : null, locationId: oneLevel ? locationId : null };
  if (oneLevel || (locationId === null && within === null)) {
    return deps.replenishments.listReplenishments({ ...query, limit, cursor: input.cursor ?? null });
  }
  return filteredPages(deps, query, limit, input.cursor ?? null, (id) => {
    return (locationId === null || id === locationId) && (within?.has(id) ?? true);
  });
}

/** Index pages read at most for one filtered page: a bound on the work of one request. */
const MAX_PAGES_PER_FILTERED_LIST = 5;

/**
 * Reads index pages, each asked for no more than what is still missing, so that every page ends where the next
 * cursor resumes, until `limit` requests passed the filter, the index is exhausted, or the bound is reached.
 */
async function filteredPages(
  deps: UseCaseDeps,
  query: { state: ReplenishmentState; sku: Sku | null; locationId: LocationId | null },
  limit: number,
  cursor: string | null,
  wanted: (locationId: LocationId) => boolean,
): Promise<ReplenishmentPage> {
  const requests: ReplenishmentRequest[] = [];
  let next = cursor;
  for (let read = 0; read < MAX_PAGES_PER_FILTERED_LIST && requests.length < limit; read++) {
    const page = await deps.replenishments.listReplenishments({
      ...query,
      limit: limit - requests.length,
      cursor: next,
    });
    requests.push(...page.requests.filter((r) => wanted(r.locationId)));
    next = page.nextCursor;
    if (next === null) break;
  }
  return { requests, nextCursor: next };
}
