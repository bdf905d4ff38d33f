import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  HoldAlreadyResolvedError,
  HoldExpiredError,
  IdempotencyConflictError,
  InsufficientStockError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/kernel/errors.js';
import {
  parseIdempotencyKey,
  parseLocationId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import { decodeCursor, encodeCursor } from '../../shared/platform/store/cursor.js';
import { explainCancellation, explainExtendRefusal } from '../../shared/platform/store/failure-mapping.js';
import type { ItemRole } from '../../shared/stock/store/requests/plan.js';

const sku = parseSku('S');
const locationId = parseLocationId('L');
const reservationId = parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0');
const level: ItemRole = {
  role: 'level',
  sku,
  locationId,
  shard: 0,
  guard: { bucket: 'available', quantity: 5 },
  needsActiveShard: false,
};
const failed = (item?: Record<string, unknown>) => ({
  Code: 'ConditionalCheckFailed',
  ...(item ? { Item: marshall(item) } : {}),
});
const none = { Code: 'None' };

describe('explaining a cancelled transaction', () => {
  it('reports how many units the level had when its guard failed', () => {
    const e = explainCancellation([level, { role: 'movement' }], [failed({ available: 3 }), none]);
    expect(e.kind === 'error' && e.error).toBeInstanceOf(InsufficientStockError);
    expect(e.kind === 'error' && e.error.details).toMatchObject({ requested: 5, available: 3 });
  });

  it('prefers a replay over the stock the first attempt already took', () => {
    const roles: ItemRole[] = [
      level,
      { role: 'new-reservation', reservationId, key: parseIdempotencyKey('k'), requestHash: 'h1' },
    ];
    const e = explainCancellation(roles, [
      failed({ available: 0 }),
      failed({ requestHash: 'h1', status: 'HELD' }),
    ]);
    expect(e.kind).toBe('reservation-replay');
    const conflict = explainCancellation(roles, [failed({ available: 0 }), failed({ requestHash: 'other' })]);
    expect(conflict.kind === 'error' && conflict.error).toBeInstanceOf(IdempotencyConflictError);
  });

  it('explains a refused transition from the hold it found', () => {
    const role = (transition: 'confirm' | 'release', ownerId: string | null = 'me'): ItemRole => ({
      role: 'reservation-transition',
      reservationId,
      transition,
      nowMs: 1_000,
      ownerId,
    });
    const explain = (r: ItemRole, item?: Record<string, unknown>) => explainCancellation([r], [failed(item)]);
    expect(explain(role('confirm'))).toMatchObject({ kind: 'error', error: expect.any(NotFoundError) });
    expect(explain(role('confirm'), { ownerId: 'someone-else', status: 'HELD' })).toMatchObject({
      error: expect.any(NotFoundError),
    });
    expect(explain(role('confirm'), { ownerId: 'me', status: 'CONFIRMED' }).kind).toBe('transition-replay');
    expect(explain(role('confirm'), { ownerId: 'me', status: 'RELEASED' })).toMatchObject({
      error: expect.any(HoldAlreadyResolvedError),
    });
    expect(explain(role('confirm'), { ownerId: 'me', status: 'HELD', expiresAt: 1_000 })).toMatchObject({
      error: expect.any(HoldExpiredError),
    });
    expect(explain(role('release', null), { ownerId: 'anyone', status: 'EXPIRED' })).toMatchObject({
      error: expect.any(HoldAlreadyResolvedError),
    });
  });

  it('reports the version it found on a compare-and-set conflict', () => {
    const e = explainCancellation(
      [{ role: 'level', sku, locationId, shard: 0, guard: { version: 4 }, needsActiveShard: false }],
      [failed({ version: 6 })],
    );
    expect(e.kind === 'error' && e.error).toBeInstanceOf(VersionConflictError);
    expect(e.kind === 'error' && e.error.details).toEqual({ expectedVersion: 4, actualVersion: 6 });
  });

  it('retries contention only when no condition failed', () => {
    expect(
      explainCancellation([level, { role: 'movement' }], [{ Code: 'TransactionConflict' }, none]).kind,
    ).toBe('retry');
    expect(
      explainCancellation(
        [level, { role: 'movement' }],
        [failed({ available: 1 }), { Code: 'TransactionConflict' }],
      ).kind,
    ).toBe('error');
    expect(explainCancellation([level], [{ Code: 'ValidationError' }]).kind).toBe('unexplained');
  });

  it('explains a refused extension', () => {
    expect(explainExtendRefusal(reservationId, 'me', 10, 20, null)).toBeInstanceOf(NotFoundError);
    expect(
      explainExtendRefusal(reservationId, 'me', 10, 20, { ownerId: 'me', status: 'HELD', expiresAt: 5 }),
    ).toBeInstanceOf(HoldExpiredError);
    expect(
      explainExtendRefusal(reservationId, 'me', 10, 20, {
        ownerId: 'me',
        status: 'HELD',
        expiresAt: 50,
        maxExpiresAt: 15,
      }).code,
    ).toBe('business-rule');
  });
});

describe('paging cursors', () => {
  it('round-trip and refuse anything else', () => {
    const positions = { '0': '01JABCDEFGHJKMNPQRSTVWXYZ0', '1': null };
    expect(decodeCursor(encodeCursor(positions))).toEqual(positions);
    for (const bad of [
      '',
      '***',
      encodeCursor({}),
      Buffer.from('{"x":null}').toString('base64url'),
      'a'.repeat(3000),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(expect.objectContaining({ field: 'cursor' }));
    }
  });
});
