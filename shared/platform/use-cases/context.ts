import type { HoldPolicy } from '../../holds/domain/hold-policy.js';
import type { Clock } from '../../kernel/clock.js';
import { deterministicId, requestHash } from '../../kernel/fingerprint.js';
import type { IdempotencyKey, PrincipalId } from '../../kernel/identifiers.js';
import type { IdSource } from '../../kernel/ids.js';
import type { MovementReference } from '../../stock/domain/movement.js';
import type { Stores } from '../runtime/stores.js';
import type { ChangeContext, IdempotencyRecord } from '../store/commands.js';

/** What every use case needs: the stores, the clock, ids, the hold policy. Built once per process (at cold start in a Lambda). */
export interface UseCaseDeps extends Stores {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly holdPolicy: HoldPolicy;
}

/** How long an idempotency key of a stock operation is remembered. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface Attribution {
  readonly actor: PrincipalId;
  readonly reason?: string | null;
  readonly reference?: MovementReference | null;
}

export function changeContext(deps: UseCaseDeps, who: Attribution): ChangeContext {
  return {
    actor: who.actor,
    at: new Date(deps.clock.now()).toISOString(),
    reason: who.reason ?? null,
    reference: who.reference ?? null,
  };
}

/** The idempotency record of a keyed operation: scoped to the caller and the operation. */
export function idempotencyRecord(
  deps: UseCaseDeps,
  actor: PrincipalId,
  operation: string,
  key: IdempotencyKey | null | undefined,
  request: unknown,
): IdempotencyRecord | null {
  if (!key) return null;
  return {
    key,
    hashedKey: deterministicId(actor, operation, key),
    operation,
    requestHash: requestHash({ operation, request }),
    ttlEpochSeconds: Math.ceil(deps.clock.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
  };
}
