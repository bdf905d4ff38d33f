import type { LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';
import type { Item } from '../../platform/store/records.js';
import type { MovementReference, MovementType } from '../../stock/domain/movement.js';
import type { BucketDelta } from '../../stock/domain/stock-level.js';
import type { FeedChange, LevelFigures } from '../domain/change.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A change feed entry item → the change it holds. */
export function toFeedChange(item: Item): FeedChange {
  const level = (item.level ?? {}) as Record<string, unknown>;
  const figures: LevelFigures = {
    onHand: num(level.onHand),
    reserved: num(level.reserved),
    committed: num(level.committed),
    unavailable: num(level.unavailable),
    safetyStock: num(level.safetyStock),
    incoming: num(level.incoming),
    available: num(level.available),
  };
  const reference = item.reference as { type?: unknown; id?: unknown } | null | undefined;
  return {
    seq: num(item.seq),
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    shard: num(item.shard),
    version: num(item.version),
    movementId: String(item.movementId),
    type: item.type as MovementType,
    delta: { ...((item.delta ?? {}) as BucketDelta) },
    reason: strOrNull(item.reason),
    reference:
      reference && typeof reference.type === 'string' && typeof reference.id === 'string'
        ? ({ type: reference.type, id: reference.id } as MovementReference)
        : null,
    reservationId: strOrNull(item.reservationId) as ReservationId | null,
    actor: item.actor as PrincipalId,
    at: String(item.at),
    level: figures,
  };
}
