import type { LevelChange } from '../../shared/changes/domain/change.js';
import { type LocationId, parsePrincipalId, type Sku } from '../../shared/kernel/identifiers.js';

/** The change of a level shard at `version` when one unit was received each time (on hand = available = version). */
export function aReceiptChange(sku: Sku, locationId: LocationId, version: number, shard = 0): LevelChange {
  return {
    sku,
    locationId,
    shard,
    version,
    movementId: `01JCHANGE${String(version).padStart(17, '0')}`,
    type: 'RECEIVED',
    delta: { onHand: 1 },
    reason: null,
    reference: null,
    reservationId: null,
    actor: parsePrincipalId('clerk-1'),
    at: '2026-11-29T10:00:00.000Z',
    level: {
      onHand: version,
      reserved: 0,
      committed: 0,
      unavailable: 0,
      safetyStock: 0,
      incoming: 0,
      available: version,
    },
  };
}
