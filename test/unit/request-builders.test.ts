import { describe, expect, it } from 'vitest';
import {
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/domain/identifiers.js';
import type { Reservation, TransitionName } from '../../shared/domain/reservation.js';
import type { ChangeContext, TransitionCommand } from '../../shared/store/commands.js';
import { levelUpdate, type TransactItem } from '../../shared/store/requests/level-change.js';
import { buildExtend, buildReserve, buildTransition } from '../../shared/store/requests/reservations.js';
import {
  buildAdjust,
  buildBlock,
  buildCount,
  buildReceive,
  buildTransfer,
} from '../../shared/store/requests/stock-changes.js';

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

const reservation: Reservation = {
  reservationId,
  sku,
  locationId,
  shard: 0,
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

/** DynamoDB rejects a request whose declared names or values are unused, or whose used ones are undeclared. */
function expectPlaceholdersMatch(part: Expression) {
  const text = `${part.UpdateExpression ?? ''} ${part.ConditionExpression ?? ''}`;
  const usedNames = new Set(text.match(/#[A-Za-z0-9_]+/g) ?? []);
  const usedValues = new Set(text.match(/:[A-Za-z0-9_]+/g) ?? []);
  expect(new Set(Object.keys(part.ExpressionAttributeNames ?? {}))).toEqual(usedNames);
  expect(new Set(Object.keys(part.ExpressionAttributeValues ?? {}))).toEqual(usedValues);
}

const allPlans = () => [
  buildReceive(T, { sku, locationId, quantity: 3, movementId: 'M1', context, idempotency: null }),
  buildAdjust(T, { sku, locationId, delta: -2, movementId: 'M1', context, idempotency: null }),
  buildAdjust(T, { sku, locationId, delta: 2, movementId: 'M1', context, idempotency: null }),
  buildCount(
    T,
    { sku, locationId, onHand: 4, expectedVersion: 7, movementId: 'M1', context, idempotency: null },
    9,
  ),
  buildBlock(T, {
    sku,
    locationId,
    quantity: 1,
    direction: 'block',
    movementId: 'M1',
    context,
    idempotency: null,
  }),
  buildBlock(T, {
    sku,
    locationId,
    quantity: 1,
    direction: 'unblock',
    movementId: 'M1',
    context,
    idempotency: null,
  }),
  buildTransfer(T, {
    sku,
    from: locationId,
    to: other,
    quantity: 2,
    outMovementId: 'M1',
    inMovementId: 'M2',
    context,
    idempotency: null,
  }),
  buildReserve(T, {
    reservation,
    requestHash: 'h',
    idempotencyKey: null,
    movementId: 'M1',
    context,
    ttlEpochSeconds: 99,
    activeHoldCap: 5,
  }),
  ...(['release', 'expire', 'confirm', 'fulfill', 'cancel'] as TransitionName[]).map((transition) =>
    buildTransition(T, transitionCmd(transition, true)),
  ),
];

function transitionCmd(transition: TransitionName, countedHold = false): TransitionCommand {
  return {
    transition,
    hold: { reservationId, sku, locationId, shard: 0, quantity: 2, ownerId: owner, countedHold },
    ownerId: owner,
    nowMs: 500,
    movementId: 'M9',
    context,
    resolvedTtlEpochSeconds: 12345,
  };
}

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

  it('label every item with its role, one for one', () => {
    for (const planned of allPlans()) expect(planned.roles).toHaveLength(planned.items.length);
  });

  it('build a reserve of three items: a guarded level decrement, a new reservation and its movement', () => {
    const planned = buildReserve(T, {
      reservation,
      requestHash: 'h',
      idempotencyKey: null,
      movementId: 'M1',
      context,
      ttlEpochSeconds: 99,
      activeHoldCap: null,
    });
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
      expiryBucket: expect.stringMatching(/^EXPIRY#[0-7]$/),
      holdLevel: 'SKU-1#WH-1',
      ttl: 99,
    });
    expect(movement?.Item).toMatchObject({
      pk: 'LEDGER#SKU-1#WH-1#0',
      sk: 'M1',
      type: 'RESERVED',
      delta: { reserved: 2 },
      reservationId,
    });
  });

  it('adds the holder counter, capped, only when a cap applies', () => {
    const capped = buildReserve(T, {
      reservation,
      requestHash: 'h',
      idempotencyKey: null,
      movementId: 'M1',
      context,
      ttlEpochSeconds: 99,
      activeHoldCap: 5,
    });
    expect(capped.roles.map((r) => r.role)).toContain('holder');
    const holder = partOf(capped.items[capped.roles.findIndex((r) => r.role === 'holder')] as TransactItem);
    expect(holder.ExpressionAttributeValues).toMatchObject({ ':cap': 5 });
  });

  it('creates a level on receipt with every bucket initialised, and never on a reserve', () => {
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
    expect(upsert.ConditionExpression).toBeUndefined();
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
    const condition = (t: TransitionName) =>
      partOf(buildTransition(T, transitionCmd(t)).items[0] as TransactItem);
    expect(condition('release').ExpressionAttributeValues).toMatchObject({
      ':from': 'HELD',
      ':to': 'RELEASED',
    });
    expect(condition('fulfill').ExpressionAttributeValues).toMatchObject({
      ':from': 'CONFIRMED',
      ':to': 'FULFILLED',
    });
    expect(condition('confirm').ConditionExpression).toContain('#expiresAt > :now');
    expect(condition('expire').ConditionExpression).toContain('#expiresAt <= :now');
    expect(condition('release').ConditionExpression).not.toContain(':now');
    expect(condition('release').UpdateExpression).toContain('REMOVE #expiryBucket, #holdLevel');
    expect(condition('confirm').UpdateExpression).toContain('REMOVE #expiryBucket, #holdLevel, #ttl');
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
    const [level] = buildCount(
      T,
      { sku, locationId, onHand: 4, expectedVersion: 7, movementId: 'M1', context, idempotency: null },
      9,
    ).items.map(partOf);
    expect(level?.ExpressionAttributeValues).toMatchObject({
      ':g_version': 7,
      ':d_onHand': -5,
      ':d_available': -5,
    });
  });

  it('checks the destination of a transfer and of a receipt is an active location', () => {
    for (const planned of [allPlans()[0], allPlans()[6]]) {
      const i = planned?.roles.findIndex((r) => r.role === 'location') ?? -1;
      const check = planned?.items[i]?.ConditionCheck;
      expect(check?.ConditionExpression).toBe('attribute_exists(pk) AND #active = :true');
    }
  });

  it('adds the idempotency record to the same transaction when a key is given', () => {
    const planned = buildReceive(T, {
      sku,
      locationId,
      quantity: 3,
      movementId: 'M1',
      context,
      idempotency: {
        key: parseIdempotencyKey('k-1'),
        hashedKey: 'HASH',
        operation: 'receive',
        requestHash: 'rh',
        result: { movementIds: ['M1'] },
        ttlEpochSeconds: 5,
      },
    });
    const i = planned.roles.findIndex((r) => r.role === 'idempotency');
    expect(partOf(planned.items[i] as TransactItem).Item).toMatchObject({
      pk: 'IDEMPOTENCY#HASH',
      requestHash: 'rh',
      ttl: 5,
    });
  });
});
