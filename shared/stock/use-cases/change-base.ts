import type { IdempotencyKey, LocationId, Sku } from '../../kernel/identifiers.js';
import type { ReceiveCommand } from '../../platform/store/commands.js';
import {
  type Attribution,
  changeContext,
  idempotencyRecord,
  type UseCaseDeps,
} from '../../platform/use-cases/context.js';

export type ChangeBase = Pick<
  ReceiveCommand,
  'sku' | 'locationId' | 'movementId' | 'context' | 'idempotency'
>;

/** The level a command changes, and the idempotency key it was sent with. */
export interface ChangedLevel {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly idempotencyKey?: IdempotencyKey | null;
}

/**
 * The common part of a command changing one level: a new movement id, the change context, and the idempotency
 * record (scoped to the caller and the operation, fingerprinting the request with its reason and reference).
 */
export function changeBase(
  deps: UseCaseDeps,
  who: Attribution,
  operation: string,
  input: ChangedLevel,
  request: Readonly<Record<string, unknown>>,
): ChangeBase {
  const fingerprint = {
    sku: input.sku,
    locationId: input.locationId,
    ...request,
    reason: who.reason ?? null,
    reference: who.reference ?? null,
  };
  return {
    sku: input.sku,
    locationId: input.locationId,
    movementId: deps.ids.next(),
    context: changeContext(deps, who),
    idempotency: idempotencyRecord(deps, who.actor, operation, input.idempotencyKey, fingerprint),
  };
}
