import { describe, expect, it } from 'vitest';
import { buildReserve } from '../../shared/holds/store/requests/reservations.js';
import {
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import { createTableInput } from '../../shared/platform/store/table-definition.js';

describe('the table definition', () => {
  it('gives a held reservation every key attribute of the table and its indexes, which local TTL needs to purge it', () => {
    // Prepare: DynamoDB Local's TTL process skips an item that lacks any attribute the table defines
    const at = '2026-11-21T09:00:00.000Z';
    const planned = buildReserve(
      'inventory',
      {
        reservation: {
          reservationId: parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0'),
          sku: parseSku('SKU-1'),
          locationId: parseLocationId('WH-1'),
          quantity: 1,
          ownerId: parsePrincipalId('buyer-1'),
          status: 'HELD',
          createdAt: at,
          updatedAt: at,
          expiresAt: 1_000,
          maxExpiresAt: 2_000,
          reference: null,
          resolvedAt: null,
          countedHold: false,
        },
        requestHash: 'h',
        idempotencyKey: null,
        movementId: '01JABCDEFGHJKMNPQRSTVWXYZ1',
        context: { actor: parsePrincipalId('buyer-1'), at, reason: null, reference: null },
        ttlEpochSeconds: 99,
        activeHoldCap: null,
      },
      [{ shard: 0, quantity: 1 }],
    );

    // Act
    const held = planned.items.find((_, i) => planned.roles[i]?.role === 'new-reservation')?.Put?.Item ?? {};
    const defined = (createTableInput('inventory').AttributeDefinitions ?? []).map((a) => a.AttributeName);

    // Assess
    expect(held.ttl).toBe(99);
    expect(defined.filter((name) => name !== undefined && !(name in held))).toEqual([]);
  });
});
