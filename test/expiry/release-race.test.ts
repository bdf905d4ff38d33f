import { ConditionalCheckFailedException, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Reservation } from '../../shared/holds/domain/reservation.js';
import { handlePurgedHoldRecords } from '../../shared/holds/streams/purged-holds.js';
import { sweepExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { reserveStock, resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { DomainError } from '../../shared/kernel/errors.js';
import { reservationKey } from '../../shared/platform/store/keys.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { table, deps } = useTestTable();

/**
 * What DynamoDB TTL does to a held reservation, and the stream record it produces; null when another path
 * resolved the hold first (only that refusal is expected: any other error fails the test).
 */
async function ttlDeletes(reservation: Reservation): Promise<DynamoDBRecord | null> {
  const { Attributes } = await table.client
    .send(
      new DeleteItemCommand({
        TableName: table.tableName,
        Key: { pk: { S: reservationKey(reservation.reservationId).pk }, sk: { S: 'RESERVATION' } },
        ConditionExpression: '#status = :held',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':held': { S: 'HELD' } },
        ReturnValues: 'ALL_OLD',
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { Attributes: undefined };
    });
  if (!Attributes) return null;
  return {
    eventName: 'REMOVE',
    userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    dynamodb: { OldImage: Attributes as never },
  };
}

const swallow = (p: Promise<unknown>) =>
  p.catch((e: unknown) => {
    if (!(e instanceof DomainError)) throw e;
  });

describe('expired holds released by every path at once', () => {
  it('are released exactly once when sweeper, inline reclaim, TTL backstop, late confirm and late release race', async () => {
    // Prepare: 8 levels with 5 holds each, all expired
    const levels = await Promise.all(Array.from({ length: 8 }, () => aStockedLevel(deps, 20)));
    const holds: Array<{ reservation: Reservation; owner: ReturnType<typeof aPrincipal> }> = [];
    for (const level of levels) {
      for (let i = 1; i <= 5; i++) {
        const owner = aPrincipal();
        const { reservation } = await reserveStock(
          deps,
          { ...level, quantity: (i % 3) + 1, ttlSeconds: 60 },
          owner,
        );
        holds.push({ reservation, owner });
      }
    }
    deps.clock.advance(61_000);

    // Act
    const confirms: unknown[] = [];
    await Promise.all([
      sweepExpiredHolds(deps, { concurrency: 4, batchSize: 3 }),
      ...levels.map((level) => swallow(reserveStock(deps, { ...level, quantity: 20 }, aPrincipal()))),
      ...holds.map(async ({ reservation }) => {
        const record = await ttlDeletes(reservation);
        if (record) await handlePurgedHoldRecords(deps, [record]);
      }),
      ...holds.map(({ reservation, owner }) =>
        resolveHold(deps, 'confirm', { reservationId: reservation.reservationId }, owner, owner).then(
          (ok) => confirms.push(ok),
          (e: unknown) => {
            if (!(e instanceof DomainError)) throw e;
          },
        ),
      ),
      ...holds.map(({ reservation, owner }) =>
        swallow(resolveHold(deps, 'release', { reservationId: reservation.reservationId }, owner, owner)),
      ),
    ]);

    // Assess
    expect(confirms).toEqual([]);
    for (const level of levels) {
      const after = await expectLevelConsistent(deps, level.sku, level.locationId);
      const ledger = await deps.ledger.allMovements(level.sku, level.locationId);
      for (const { reservation } of holds.filter((h) => h.reservation.locationId === level.locationId)) {
        const exits = ledger.filter(
          (m) => m.reservationId === reservation.reservationId && m.type !== 'RESERVED',
        );
        expect(
          exits.map((m) => m.type),
          reservation.reservationId,
        ).toHaveLength(1);
        expect(['EXPIRED', 'RELEASED']).toContain(exits[0]?.type);
        const status = (await deps.holds.getReservation(reservation.reservationId))?.status;
        expect(status).toBe(exits[0]?.type);
      }
      expect(after?.committed).toBe(0);
      expect(after?.reserved === 0 || after?.reserved === 20).toBe(true);
    }
  }, 300_000);
});
