import { describe, expect, it } from 'vitest';
import type { Reservation, TransitionName } from '../../shared/holds/domain/reservation.js';
import {
  buildExtend,
  buildReserve,
  buildTransition,
} from '../../shared/holds/store/requests/reservations.js';
import {
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import type {
  ChangeContext,
  ReserveCommand,
  TransitionCommand,
} from '../../shared/platform/store/commands.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import { levelUpdate, type TransactItem } from '../../shared/stock/store/requests/level-change.js';
import type { PlannedTransaction } from '../../shared/stock/store/requests/plan.js';
import { buildRebalance } from '../../shared/stock/store/requests/rebalance.js';
import {
  buildAdjust,
  buildBlock,
  buildCount,
  buildReceive,
  buildTransfer,
} from '../../shared/stock/store/requests/stock-changes.js';
import { aLevelShard } from '../support/level-shard.js';

const T = 'inventory';
const sku = parseSku('SKU-1');
const locationId = parseLocationId('WH-1');
const other = parseLocationId('WH-2');
const owner = parsePrincipalId('buyer-1');
const context: ChangeContext = {
  actor: parsePrincipalId('clerk'),
  at: '2026-11-21T09:00:00.000Z',
  reason: 'test',
  reference: null,
};
const reservationId = parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0');
const M1 = '01JABCDEFGHJKMNPQRSTVWXYZ1';
const one = (quantity: number) => [{ shard: 0, quantity }];

const reservation: Omit<Reservation, 'parts'> = {
  reservationId,
  sku,
  locationId,
  quantity: 2,
  ownerId: owner,
  status: 'HELD',
  createdAt: context.at,
  updatedAt: context.at,
  expiresAt: 1_000_000,
  maxExpiresAt: 2_000_000,
  reference: null,
  resolvedAt: null,
  countedHold: false,
};

const reserveCmd = (activeHoldCap: number | null): ReserveCommand => ({
  reservation,
  requestHash: 'h',
  idempotencyKey: null,
  movementId: M1,
  context,
  ttlEpochSeconds: 99,
  activeHoldCap,
});

type Expression = {
  UpdateExpression?: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
};

function partOf(
  item: TransactItem,
): Expression & { Key?: Record<string, unknown>; Item?: Record<string, unknown> } {
  const part = item.Update ?? item.Put ?? item.ConditionCheck ?? item.Delete;
  if (!part) throw new Error('empty transaction item');
  return part as Expression;
}

const itemsOf = (planned: PlannedTransaction, role: string) =>
  planned.items.filter((_, i) => planned.roles[i]?.role === role).map(partOf);

/** DynamoDB rejects a request whose declared names or values are unused, or whose used ones are undeclared. */
function expectPlaceholdersMatch(part: Expression) {
  const text = `${part.UpdateExpression ?? ''} ${part.ConditionExpression ?? ''}`;
  const usedNames = new Set(text.match(/#[A-Za-z0-9_]+/g) ?? []);
  const usedValues = new Set(text.match(/:[A-Za-z0-9_]+/g) ?? []);
  expect(new Set(Object.keys(part.ExpressionAttributeNames ?? {}))).toEqual(usedNames);
  expect(new Set(Object.keys(part.ExpressionAttributeValues ?? {}))).toEqual(usedValues);
}

function transitionCmd(transition: TransitionName, countedHold = false, parts = one(2)): TransitionCommand {
  return {
    transition,
    hold: { reservationId, sku, locationId, parts, quantity: 2, ownerId: owner, countedHold },
    ownerId: owner,
    nowMs: 500,
    movementId: M1,
    context,
    resolvedTtlEpochSeconds: 12345,
  };
}

const shardItem = (shard: number, available: number, version: number, reserved = 0): LevelShard =>
  aLevelShard({ sku, locationId, shard, shardCount: 2, available, reserved, version });

const base = { movementId: M1, context, idempotency: null };
const allPlans = (): PlannedTransaction[] => [
  buildReceive(T, { sku, locationId, quantity: 3, ...base }, one(3)),
  buildReceive(T, { sku, locationId, quantity: 3, ...base }, [
    { shard: 1, quantity: 2 },
    { shard: 2, quantity: 1 },
  ]),
  buildAdjust(T, { sku, locationId, delta: -2, ...base }, one(2)),
  buildAdjust(T, { sku, locationId, delta: 2, ...base }, one(2)),
  buildCount(T, { sku, locationId, onHand: 4, expectedVersion: 7, ...base }, 9),
  buildBlock(T, { sku, locationId, quantity: 1, direction: 'block', ...base }, one(1)),
  buildBlock(T, { sku, locationId, quantity: 1, direction: 'unblock', ...base }, one(1)),
  buildTransfer(
    T,
    {
      sku,
      from: locationId,
      to: other,
      quantity: 2,
      outMovementId: M1,
      inMovementId: M1,
      context,
      idempotency: null,
    },
    one(2),
    one(2),
  ),
  buildReserve(T, reserveCmd(5), one(2)),
  buildReserve(T, reserveCmd(null), [
    { shard: 0, quantity: 1 },
    { shard: 3, quantity: 1 },
  ]),
  ...buildRebalance(T, { sku, locationId, shards: 3, movementId: M1, context }, [
    shardItem(0, 10, 4),
    shardItem(1, 1, 2),
  ]),
  ...(['release', 'expire', 'confirm', 'fulfill', 'cancel'] as TransitionName[]).map((transition) =>
    buildTransition(T, transitionCmd(transition, true)),
  ),
];

describe('request builders', () => {
  it('declare exactly the attribute names and values their expressions use', () => {
    for (const planned of allPlans()) for (const item of planned.items) expectPlaceholdersMatch(partOf(item));
    expectPlaceholdersMatch(
      buildExtend(T, {
        reservationId,
        ownerId: owner,
        expiresAt: 9,
        nowMs: 1,
        at: context.at,
        ttlEpochSeconds: 3,
        actor: owner,
      }),
    );
  });

  it('ask for the old item on every conditional write, to explain a refusal', () => {
    for (const planned of allPlans()) {
      for (const item of planned.items) {
        const part = partOf(item) as {
          ConditionExpression?: string;
          ReturnValuesOnConditionCheckFailure?: string;
        };
        if (part.ConditionExpression && !item.ConditionCheck)
          expect(part.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
      }
    }
  });

  it('label every item with its role, one for one, within the 100 items of a transaction', () => {
    for (const planned of allPlans()) {
      expect(planned.roles).toHaveLength(planned.items.length);
      expect(planned.items.length).toBeLessThanOrEqual(100);
    }
  });

  it('build a reserve of three items: a guarded level decrement, a new reservation and its movement', () => {
    const planned = buildReserve(T, reserveCmd(null), one(2));
    expect(planned.roles.map((r) => r.role)).toEqual(['level', 'new-reservation', 'movement']);
    const [level, hold, movement] = planned.items.map(partOf);
    expect(level?.Key).toEqual({ pk: 'SKU#SKU-1', sk: 'LEVEL#WH-1#0' });
    expect(level?.ConditionExpression).toContain('#g_available >= :g_available');
    expect(level?.ExpressionAttributeValues).toMatchObject({
      ':g_available': 2,
      ':d_reserved': 2,
      ':d_available': -2,
      ':one': 1,
    });
    expect(hold?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(hold?.Item).toMatchObject({
      pk: `RESERVATION#${reservationId}`,
      status: 'HELD',
      parts: [{ shard: 0, quantity: 2 }],
      expiryBucket: expect.stringMatching(/^EXPIRY#\d+$/),
      holdLevel: 'SKU-1#WH-1#0',
      ttl: 99,
    });
    expect(movement?.Item).toMatchObject({
      pk: 'LEDGER#SKU-1#WH-1#0',
      sk: M1,
      type: 'RESERVED',
      delta: { reserved: 2 },
      reservationId,
    });
  });

  it('guard each shard of a multi-shard reserve by its own part, with a movement in each shard ledger', () => {
    const planned = buildReserve(T, reserveCmd(null), [
      { shard: 0, quantity: 1 },
      { shard: 3, quantity: 1 },
    ]);
    const levels = itemsOf(planned, 'level');
    expect(levels.map((l) => l.Key?.sk)).toEqual(['LEVEL#WH-1#0', 'LEVEL#WH-1#3']);
    for (const l of levels)
      expect(l.ExpressionAttributeValues).toMatchObject({ ':g_available': 1, ':d_reserved': 1 });
    const movements = itemsOf(planned, 'movement').map((m) => m.Item);
    expect(movements.map((m) => m?.pk)).toEqual(['LEDGER#SKU-1#WH-1#0', 'LEDGER#SKU-1#WH-1#3']);
    expect(new Set(movements.map((m) => m?.sk)).size).toBe(2);
  });

  it('adds the holder counter, capped, only when a cap applies', () => {
    const capped = buildReserve(T, reserveCmd(5), one(2));
    expect(itemsOf(capped, 'holder')[0]?.ExpressionAttributeValues).toMatchObject({ ':cap': 5 });
    expect(buildReserve(T, reserveCmd(null), one(2)).roles.map((r) => r.role)).not.toContain('holder');
  });

  it('creates a level on receipt with every bucket initialised, only into an active shard, and never on a reserve', () => {
    const upsert = partOf(
      levelUpdate(T, {
        sku,
        locationId,
        shard: 0,
        delta: { onHand: 3 },
        movementId: 'M',
        at: context.at,
        guards: [],
        upsert: true,
      }),
    );
    expect(upsert.UpdateExpression).toContain('#reserved = if_not_exists(#reserved, :zero)');
    const receipt = itemsOf(buildReceive(T, { sku, locationId, quantity: 3, ...base }, one(3)), 'level')[0];
    expect(receipt?.ConditionExpression).toContain('#g_shardCount > :g_shard');
    const plain = partOf(
      levelUpdate(T, {
        sku,
        locationId,
        shard: 0,
        delta: { reserved: 3 },
        movementId: 'M',
        at: context.at,
        guards: [],
        upsert: false,
      }),
    );
    expect(plain.ConditionExpression).toBe('(attribute_exists(pk))');
    expect(plain.UpdateExpression).not.toContain('if_not_exists');
  });

  it('guards each transition by the state it leaves, and only confirm and expire by the clock', () => {
    const reservationPart = (t: TransitionName) =>
      partOf(buildTransition(T, transitionCmd(t)).items[0] as TransactItem);
    expect(reservationPart('release').ExpressionAttributeValues).toMatchObject({
      ':from': 'HELD',
      ':to': 'RELEASED',
    });
    expect(reservationPart('fulfill').ExpressionAttributeValues).toMatchObject({
      ':from': 'CONFIRMED',
      ':to': 'FULFILLED',
    });
    expect(reservationPart('confirm').ConditionExpression).toContain('#expiresAt > :now');
    expect(reservationPart('expire').ConditionExpression).toContain('#expiresAt <= :now');
    expect(reservationPart('release').ConditionExpression).not.toContain(':now');
    expect(reservationPart('release').UpdateExpression).toContain('REMOVE #expiryBucket, #holdLevel');
    expect(reservationPart('confirm').UpdateExpression).toContain('REMOVE #expiryBucket, #holdLevel, #ttl');
  });

  it('moves every part of a multi-shard hold on its own shard', () => {
    const planned = buildTransition(
      T,
      transitionCmd('confirm', false, [
        { shard: 1, quantity: 1 },
        { shard: 2, quantity: 1 },
      ]),
    );
    const levels = itemsOf(planned, 'level');
    expect(levels.map((l) => l.Key?.sk)).toEqual(['LEVEL#WH-1#1', 'LEVEL#WH-1#2']);
    for (const l of levels)
      expect(l.ExpressionAttributeValues).toMatchObject({ ':d_reserved': -1, ':d_committed': 1 });
  });

  it('uncounts a capped hold when it leaves HELD, and only then', () => {
    const roles = (t: TransitionName, counted: boolean) =>
      buildTransition(T, transitionCmd(t, counted)).roles.map((r) => r.role);
    expect(roles('release', true)).toContain('holder-release');
    expect(roles('confirm', true)).toContain('holder-release');
    expect(roles('release', false)).not.toContain('holder-release');
    expect(roles('fulfill', true)).not.toContain('holder-release');
  });

  it('guards a count by the expected version and moves on-hand by the counted difference', () => {
    const [level] = itemsOf(
      buildCount(T, { sku, locationId, onHand: 4, expectedVersion: 7, ...base }, 9),
      'level',
    );
    expect(level?.ExpressionAttributeValues).toMatchObject({
      ':g_version': 7,
      ':d_onHand': -5,
      ':d_available': -5,
    });
  });

  it('checks the destination of a transfer and of a receipt is an active location', () => {
    for (const planned of [allPlans()[0], allPlans()[7]]) {
      const i = planned?.roles.findIndex((r) => r.role === 'location') ?? -1;
      expect(planned?.items[i]?.ConditionCheck?.ConditionExpression).toBe(
        'attribute_exists(pk) AND #active = :true',
      );
    }
  });

  it('adds the idempotency record, with the movement ids, to the same transaction when a key is given', () => {
    const planned = buildReceive(
      T,
      {
        sku,
        locationId,
        quantity: 3,
        movementId: M1,
        context,
        idempotency: {
          key: parseIdempotencyKey('k-1'),
          hashedKey: 'HASH',
          operation: 'receive',
          requestHash: 'rh',
          ttlEpochSeconds: 5,
        },
      },
      one(3),
    );
    expect(itemsOf(planned, 'idempotency')[0]?.Item).toMatchObject({
      pk: 'IDEMPOTENCY#HASH',
      requestHash: 'rh',
      result: { movementIds: [M1] },
      ttl: 5,
    });
  });

  it('rebalances free units evenly: a giving shard guarded by what it gives, new shards created, summing to zero', () => {
    // Prepare: shard 0 has 10 free and 0 reserved, shard 1 has 1 free and 5 reserved
    const [planned, ...more] = buildRebalance(T, { sku, locationId, shards: 3, movementId: M1, context }, [
      shardItem(0, 10, 4),
      shardItem(1, 1, 2, 5),
    ]);

    // Assess: 11 free units over 3 shards = 4, 4, 3, in one transaction
    expect(more).toEqual([]);
    const levels = itemsOf(planned as PlannedTransaction, 'level');
    const deltas = levels.map((l) => l.ExpressionAttributeValues?.[':d_onHand'] ?? 0);
    expect(deltas).toEqual([-6, 3, 3]);
    expect(levels[0]?.ExpressionAttributeValues).toMatchObject({ ':g_available': 6, ':s_shardCount': 3 });
    expect(levels[0]?.ExpressionAttributeValues).not.toHaveProperty(':g_version');
    expect(levels[1]?.ExpressionAttributeValues).toMatchObject({ ':s_shardCount': 3 });
    expect(levels[1]?.ExpressionAttributeValues).not.toHaveProperty(':g_available');
    expect(itemsOf(planned as PlannedTransaction, 'movement').map((m) => m.Item?.type)).toEqual([
      'REBALANCED',
      'REBALANCED',
      'REBALANCED',
    ]);
  });
});
