import type { Clock } from '../domain/clock.js';
import { deterministicId, requestHash } from '../domain/fingerprint.js';
import type { HoldPolicy } from '../domain/hold-policy.js';
import type { IdempotencyKey, PrincipalId } from '../domain/identifiers.js';
import type { IdSource } from '../domain/ids.js';
import type { MovementReference } from '../domain/movement.js';
import type { ChangeContext, IdempotencyRecord } from '../store/commands.js';
import type { Stores } from '../store/stores.js';

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
