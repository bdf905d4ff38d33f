import type { AttributeValue, CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type ReservationStatus, TRANSITIONS } from '../../holds/domain/reservation.js';
import {
  BusinessRuleError,
  CartStateError,
  type DomainError,
  HoldAlreadyResolvedError,
  HoldExpiredError,
  HoldInCartError,
  IdempotencyConflictError,
  InsufficientStockError,
  LocationInactiveError,
  NotFoundError,
  OutcomeUnknownError,
  StoreUnavailableError,
  VersionConflictError,
} from '../../kernel/errors.js';
import type { ReservationId } from '../../kernel/identifiers.js';
import type { ItemRole } from '../../stock/store/requests/plan.js';
import type { ShardMap } from '../../stock/store/shard-directory.js';
import type { Item } from './records.js';

/** What a refused level shard looked like: how many active shards the level has and what the shard held. */
export interface ObservedShard {
  readonly shard: number;
  readonly shardCount: number;
  readonly shardSpan: number;
  readonly have: number;
}

/** What a cancelled transaction means, decided from each item's cancellation reason and old image. */
export type Explanation =
  | { readonly kind: 'retry' }
  | { readonly kind: 'idempotent-replay'; readonly record: Item }
  | { readonly kind: 'reservation-replay'; readonly reservation: Item }
  | { readonly kind: 'transition-replay'; readonly reservation: Item }
  | { readonly kind: 'already-restored' }
  | { readonly kind: 'cart-replay'; readonly cart: Item }
  | { readonly kind: 'error'; readonly error: DomainError; readonly observed?: readonly ObservedShard[] }
  | { readonly kind: 'stale-shard-map'; readonly map: ShardMap }
  /** A replenishment request is open for the level already (`request` is it). */
  | { readonly kind: 'replenishment-exists'; readonly request: Item }
  /** This request was opened before (and may be closed by now): nothing to do. */
  | { readonly kind: 'replenishment-replay' }
  /** The open request is not as it was read (received, closed or replaced since): read it again. */
  | { readonly kind: 'replenishment-changed' }
  /** The safety stock is not as it was read: read it again. */
  | { readonly kind: 'policy-conflict' }
  | { readonly kind: 'unexplained'; readonly codes: readonly string[] };

const RETRYABLE = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/** A cancellation reason's code that means contention (another transaction, throttling): worth a retry. */
export const isContentionCode = (code: string | undefined): boolean => RETRYABLE.has(code ?? '');

/** Precedence: a replay or an idempotency conflict first, then the state of the hold, then stock. */
const PRECEDENCE: Record<ItemRole['role'], number> = {
  idempotency: 0,
  'new-reservation': 1,
  'reservation-transition': 2,
  holder: 3,
  location: 4,
  level: 5,
  movement: 6,
  'shard-registry': 6,
  'holder-release': 7,
  'restored-reservation': 0,
  'cart-fence': 0,
  'cart-transition': 0,
  'replenishment-new': 1,
  'replenishment-movement': 2,
  'replenishment-open': 2,
  'replenishment-closed': 2,
  'policy-level': 5,
};

export function explainCancellation(
  roles: readonly ItemRole[],
  reasons: readonly CancellationReason[],
): Explanation {
  const failed = roles
    .map((role, i) => ({ role, reason: reasons[i] }))
    .filter((x) => x.reason?.Code === 'ConditionalCheckFailed')
    .sort((a, b) => PRECEDENCE[a.role.role] - PRECEDENCE[b.role.role]);

  const explained = failed.map(({ role, reason }) =>
    explainItem(role, reason?.Item ? unmarshall(reason.Item as Record<string, AttributeValue>) : null),
  );
  const first = explained.find((e) => e !== null);
  if (first) {
    if (first.kind !== 'error') return first;
    // Every refused shard of a multi-shard change, so that the store can plan its next attempt.
    const observed = explained.flatMap((e) => (e?.kind === 'error' && e.observed ? e.observed : []));
    return observed.length ? { ...first, observed } : first;
  }
  const codes = reasons.map((r) => r.Code ?? 'None');
  if (failed.length === 0 && codes.some(isContentionCode)) return { kind: 'retry' };
  return { kind: 'unexplained', codes };
}

export function explainItem(role: ItemRole, old: Item | null): Explanation | null {
  switch (role.role) {
    case 'idempotency':
      if (!old) return null;
      return old.requestHash === role.requestHash
        ? { kind: 'idempotent-replay', record: old }
        : { kind: 'error', error: new IdempotencyConflictError(role.key) };
    case 'new-reservation':
      if (!old) return null;
      if (old.requestHash === role.requestHash) return { kind: 'reservation-replay', reservation: old };
      return role.key ? { kind: 'error', error: new IdempotencyConflictError(role.key) } : null;
    case 'reservation-transition':
      return explainTransition(role, old);
    case 'location':
      return { kind: 'error', error: new LocationInactiveError(role.locationId) };
    case 'level':
      return explainLevel(role, old);
    case 'holder':
      return {
        kind: 'error',
        error: new BusinessRuleError(
          'active-hold-limit',
          `a caller may have at most ${role.cap} active holds`,
        ),
      };
    case 'restored-reservation':
      return { kind: 'already-restored' };
    case 'cart-fence':
      return {
        kind: 'error',
        error: new CartStateError(role.cartId, String(old?.status ?? 'missing'), 'add holds'),
      };
    case 'cart-transition':
      if (!old) return { kind: 'error', error: new NotFoundError('cart', role.cartId) };
      if (old.status === role.to) return { kind: 'cart-replay', cart: old };
      return { kind: 'error', error: new CartStateError(role.cartId, String(old.status), role.action) };
    case 'replenishment-new':
      return old ? { kind: 'replenishment-exists', request: old } : null;
    case 'replenishment-movement':
      return old ? { kind: 'replenishment-replay' } : null;
    case 'replenishment-open':
    case 'replenishment-closed':
      return { kind: 'replenishment-changed' };
    case 'policy-level':
      return explainPolicyLevel(role, old);
    case 'movement':
    case 'shard-registry':
    case 'holder-release':
      return null;
  }
}

function explainTransition(
  role: Extract<ItemRole, { role: 'reservation-transition' }>,
  old: Item | null,
): Explanation | null {
  if (!old || (role.ownerId !== null && old.ownerId !== role.ownerId)) {
    return { kind: 'error', error: new NotFoundError('reservation', role.reservationId) };
  }
  const t = TRANSITIONS[role.transition];
  const status = old.status as ReservationStatus;
  // A cart's hold moves only through its cart: even one already in the state asked is not this route's to answer
  // as a replay, since this route never moved it.
  if (role.outsideCart && typeof old.cartId === 'string')
    return { kind: 'error', error: new HoldInCartError(role.reservationId, old.cartId) };
  if (status === t.to) return { kind: 'transition-replay', reservation: old };
  if (status !== t.from)
    return { kind: 'error', error: new HoldAlreadyResolvedError(role.reservationId, status) };
  const expiresAt = typeof old.expiresAt === 'number' ? old.expiresAt : 0;
  if (role.transition === 'confirm' && expiresAt <= role.nowMs) {
    return { kind: 'error', error: new HoldExpiredError(role.reservationId, expiresAt) };
  }
  if (role.transition === 'expire' && expiresAt > role.nowMs) {
    return {
      kind: 'error',
      error: new BusinessRuleError(
        'hold-not-expired',
        `reservation ${role.reservationId} has not expired yet`,
      ),
    };
  }
  return null;
}

function explainLevel(role: Extract<ItemRole, { role: 'level' }>, old: Item | null): Explanation | null {
  const guard = role.guard;
  const shardCount = old && typeof old.shardCount === 'number' ? old.shardCount : 1;
  const shardSpan = old && typeof old.shardSpan === 'number' ? old.shardSpan : shardCount;
  if (old && role.spanAtMost !== undefined && shardSpan > role.spanAtMost) {
    return { kind: 'stale-shard-map', map: { active: shardCount, span: shardSpan } };
  }
  if (old && role.needsActiveShard && shardCount <= role.shard) {
    return { kind: 'stale-shard-map', map: { active: shardCount, span: shardSpan } };
  }
  if (old && role.mustBeNew) {
    return {
      kind: 'error',
      error: new VersionConflictError(0, typeof old.version === 'number' ? old.version : null),
    };
  }
  const missing = {
    kind: 'error',
    error: new NotFoundError('level', `${role.sku}@${role.locationId}`),
  } as const;
  // A level that does not exist holds nothing: taking from it is short of stock, not a missing resource.
  if (!old && (!guard || 'version' in guard)) return missing;
  if (!guard) return null;
  if ('version' in guard) {
    if (!old) return missing;
    const actual = typeof old.version === 'number' ? old.version : null;
    return { kind: 'error', error: new VersionConflictError(guard.version, actual) };
  }
  const have = old && typeof old[guard.bucket] === 'number' ? (old[guard.bucket] as number) : 0;
  return {
    kind: 'error',
    error: new InsufficientStockError({
      sku: role.sku,
      locationId: role.locationId,
      bucket: guard.bucket,
      requested: guard.quantity,
      available: have,
    }),
    observed: [{ shard: role.shard, shardCount, shardSpan, have }],
  };
}

function explainPolicyLevel(
  role: Extract<ItemRole, { role: 'policy-level' }>,
  old: Item | null,
): Explanation {
  if (!old) return { kind: 'error', error: new NotFoundError('level', `${role.sku}@${role.locationId}`) };
  const safetyStock = typeof old.safetyStock === 'number' ? old.safetyStock : 0;
  if (safetyStock !== role.expectedSafetyStock) return { kind: 'policy-conflict' };
  const available = typeof old.available === 'number' ? old.available : 0;
  return {
    kind: 'error',
    error: new InsufficientStockError({
      sku: role.sku,
      locationId: role.locationId,
      requested: role.take,
      available,
    }),
  };
}

/** Why an extension was refused, from the reservation's old image. */
export function explainExtendRefusal(
  reservationId: ReservationId,
  ownerId: string | null,
  nowMs: number,
  requestedExpiresAt: number,
  old: Item | null,
): DomainError {
  if (!old || (ownerId !== null && old.ownerId !== ownerId))
    return new NotFoundError('reservation', reservationId);
  if (typeof old.cartId === 'string') return new HoldInCartError(reservationId, old.cartId);
  if (old.status !== 'HELD')
    return new HoldAlreadyResolvedError(reservationId, old.status as ReservationStatus);
  const expiresAt = typeof old.expiresAt === 'number' ? old.expiresAt : 0;
  if (expiresAt <= nowMs) return new HoldExpiredError(reservationId, expiresAt);
  const max = typeof old.maxExpiresAt === 'number' ? old.maxExpiresAt : 0;
  return new BusinessRuleError(
    'hold-max-duration',
    `reservation ${reservationId} cannot be held past ${new Date(max).toISOString()} (requested ${new Date(requestedExpiresAt).toISOString()})`,
  );
}

/** Refusals the store explains itself (a condition or a cancelled transaction): nothing was applied. */
const REFUSALS = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException']);
/** DynamoDB refused this attempt for throughput: not applied by it. */
const THROTTLES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingError',
]);

/**
 * What a failed DynamoDB call means for the request that made it.
 * - A refusal by a condition is left to the store to explain (null).
 * - An answer that was lost (aborted at the request's deadline, timed out, a dropped connection, a 5xx, a
 *   transaction still in progress) on a write, or any failure once a write of the request may have been applied:
 *   OutcomeUnknownError.
 * - A read that was lost or throttled, or a throttled write that had no earlier attempt and follows no write:
 *   StoreUnavailableError (nothing changed).
 * - Any other client fault (a malformed or forbidden call: a defect) is left as it is (null), unless the request
 *   may have written before it.
 */
export function explainCallFailure(
  call: 'read' | 'write',
  error: unknown,
  mayHaveWritten: boolean,
): OutcomeUnknownError | StoreUnavailableError | null {
  const name = error instanceof Error ? error.name : '';
  if (REFUSALS.has(name)) return null;
  const metadata = (error as { $metadata?: { httpStatusCode?: number; attempts?: number } } | null)
    ?.$metadata;
  if (THROTTLES.has(name)) {
    const retried = (metadata?.attempts ?? 1) > 1;
    return call === 'write' && (retried || mayHaveWritten)
      ? new OutcomeUnknownError()
      : new StoreUnavailableError();
  }
  const status = metadata?.httpStatusCode;
  const defect = name !== 'TransactionInProgressException' && typeof status === 'number' && status < 500;
  if (defect) return mayHaveWritten ? new OutcomeUnknownError() : null;
  return call === 'write' || mayHaveWritten ? new OutcomeUnknownError() : new StoreUnavailableError();
}
