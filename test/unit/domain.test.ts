import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD_POLICY, parseTtlSeconds } from '../../shared/holds/domain/hold-policy.js';
import {
  reserveDelta,
  TRANSITIONS,
  type TransitionName,
  transitionDelta,
} from '../../shared/holds/domain/reservation.js';
import { ValidationError } from '../../shared/kernel/errors.js';
import { bucketOf, canonicalJson, deterministicId, requestHash } from '../../shared/kernel/fingerprint.js';
import {
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseReservationId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import { MAX_QUANTITY, parseDelta, parseQuantity } from '../../shared/kernel/quantity.js';
import { replay } from '../../shared/stock/domain/movement.js';
import {
  applyDelta,
  availableDeltaOf,
  availableOf,
  type Buckets,
  bucketFiguresOf,
  EMPTY_BUCKETS,
  invariantBreaches,
} from '../../shared/stock/domain/stock-level.js';

describe('identifiers', () => {
  it('accepts well-formed ids', () => {
    expect(parseSku('TSHIRT-RED.M:2024_a')).toBe('TSHIRT-RED.M:2024_a');
    expect(parseLocationId('WH_berlin-1')).toBe('WH_berlin-1');
    expect(parsePrincipalId('auth0|user@example.com')).toBe('auth0|user@example.com');
    expect(parseReservationId('01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(parseIdempotencyKey('3f1c-…'.replace('…', 'x'))).toBe('3f1c-x');
  });

  it('refuses ids with the key separator, spaces, a leading sign, the wrong length or type', () => {
    const bad: Array<[(v: unknown) => unknown, unknown]> = [
      [parseSku, 'A#B'],
      [parseSku, ''],
      [parseSku, '-lead'],
      [parseSku, 'x'.repeat(65)],
      [parseSku, 42],
      [parseLocationId, 'WH 1'],
      [parseLocationId, 'WH.1'],
      [parseLocationId, 'W'.repeat(33)],
      [parsePrincipalId, 'a#b'],
      [parseReservationId, '01JABCDEFGHJKMNPQRSTVWXYZ'],
      [parseReservationId, '01JABCDEFGHJKMNPQRSTVWXYZI'],
      [parseIdempotencyKey, 'has space'],
      [parseIdempotencyKey, 'k'.repeat(256)],
    ];
    for (const [parse, value] of bad) expect(() => parse(value), String(value)).toThrow(ValidationError);
  });

  it('names the field in the error', () => {
    expect(() => parseSku('a#b', 'lines[2].sku')).toThrow(expect.objectContaining({ field: 'lines[2].sku' }));
  });
});

describe('quantities', () => {
  it('accepts integers from 1 to the maximum and nothing else', () => {
    expect(parseQuantity(1)).toBe(1);
    expect(parseQuantity(MAX_QUANTITY)).toBe(MAX_QUANTITY);
    for (const bad of [0, -1, 1.5, MAX_QUANTITY + 1, Number.NaN, Number.POSITIVE_INFINITY, '3', null]) {
      expect(() => parseQuantity(bad), String(bad)).toThrow(ValidationError);
    }
  });

  it('accepts non-zero signed deltas within the maximum', () => {
    expect(parseDelta(-3)).toBe(-3);
    for (const bad of [0, 0.5, -MAX_QUANTITY - 1]) expect(() => parseDelta(bad)).toThrow(ValidationError);
  });

  it('bounds TTLs by the hold policy and defaults a missing one', () => {
    expect(parseTtlSeconds(undefined, DEFAULT_HOLD_POLICY)).toBe(DEFAULT_HOLD_POLICY.defaultTtlSeconds);
    expect(parseTtlSeconds(DEFAULT_HOLD_POLICY.maxTtlSeconds, DEFAULT_HOLD_POLICY)).toBe(
      DEFAULT_HOLD_POLICY.maxTtlSeconds,
    );
    for (const bad of [
      DEFAULT_HOLD_POLICY.minTtlSeconds - 1,
      DEFAULT_HOLD_POLICY.maxTtlSeconds + 1,
      30.5,
      '60',
    ]) {
      expect(() => parseTtlSeconds(bad, DEFAULT_HOLD_POLICY)).toThrow(ValidationError);
    }
  });
});

const buckets = fc.record({
  onHand: fc.nat(1000),
  reserved: fc.nat(100),
  committed: fc.nat(100),
  unavailable: fc.nat(100),
  safetyStock: fc.nat(100),
  incoming: fc.nat(100),
});

describe('stock buckets', () => {
  it('derives available from the other buckets', () => {
    expect(
      availableOf({
        ...EMPTY_BUCKETS,
        onHand: 10,
        reserved: 2,
        committed: 3,
        unavailable: 1,
        safetyStock: 1,
        incoming: 50,
      }),
    ).toBe(3);
  });

  it('finds a negative bucket and a stored available that disagrees with its formula', () => {
    const level = { ...EMPTY_BUCKETS, onHand: 5, reserved: 6, available: -1 };
    expect(invariantBreaches(level).map((b) => b.rule)).toEqual(['available >= 0']);
    expect(invariantBreaches({ ...EMPTY_BUCKETS, onHand: 5, available: 4 })).toHaveLength(1);
    expect(invariantBreaches({ ...EMPTY_BUCKETS, committed: -1, available: 1 }).map((b) => b.rule)).toContain(
      'committed >= 0',
    );
  });

  it('keeps the invariant through every hold transition applied where its guard allows', () => {
    fc.assert(
      fc.property(buckets, fc.integer({ min: 1, max: 50 }), (start, q) => {
        const level: Buckets = {
          ...start,
          onHand: start.onHand + start.reserved + start.committed + start.unavailable + start.safetyStock,
        };
        let state = level;
        if (availableOf(state) >= q) state = applyDelta(state, reserveDelta(q));
        for (const name of ['confirm', 'fulfill'] as TransitionName[]) {
          const next = applyDelta(state, transitionDelta(name, q));
          if (invariantBreaches({ ...next, available: availableOf(next) }).length === 0) state = next;
        }
        return invariantBreaches({ ...state, available: availableOf(state) }).length === 0;
      }),
    );
  });

  it('gives each transition a delta whose effect on available matches its meaning', () => {
    const q = 3;
    const effect: Record<TransitionName, number> = {
      release: q,
      expire: q,
      confirm: 0,
      fulfill: 0,
      cancel: q,
    };
    for (const name of Object.keys(TRANSITIONS) as TransitionName[]) {
      expect(availableDeltaOf(transitionDelta(name, q)), name).toBe(effect[name]);
    }
    expect(availableDeltaOf(reserveDelta(q))).toBe(-q);
  });

  it("keeps only a level's bucket figures, none of its keys, version or policy", () => {
    // Prepare
    const buckets = { onHand: 10, reserved: 2, committed: 1, unavailable: 3, safetyStock: 1, incoming: 5 };
    const level = {
      sku: parseSku('SKU-1'),
      locationId: parseLocationId('WH-1'),
      ...buckets,
      available: 3,
      version: 7,
      shards: 1,
      policy: { reorderPoint: 4, reorderQuantity: 20 },
      updatedAt: null,
    };

    // Act
    const figures = bucketFiguresOf(level);

    // Assess
    expect(figures).toStrictEqual({ ...buckets, available: 3 });
  });

  it('replays a ledger into the sum of its deltas, counting entries', () => {
    const result = replay([
      { delta: { onHand: 5 } },
      { delta: { reserved: 2 } },
      { delta: { reserved: -2, committed: 2 } },
    ]);
    expect(result.count).toBe(3);
    expect(result.buckets).toEqual({ ...EMPTY_BUCKETS, onHand: 5, committed: 2 });
  });
});

describe('fingerprints and derived ids', () => {
  it('hashes equal requests equally whatever their key order, and different requests differently', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toBe(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
  });

  it('derives a stable 26-character reservation id from its parts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const id = deterministicId(a, 'reserve', b);
        return id === deterministicId(a, 'reserve', b) && parseReservationId(id) === id;
      }),
    );
    expect(deterministicId('a', 'b')).not.toBe(deterministicId('a', 'c'));
    expect(deterministicId('ab', 'c')).not.toBe(deterministicId('a', 'bc'));
  });

  it('spreads ids over the buckets and stays in range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const b = bucketOf(`id-${i}`, 8);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(8);
      seen.add(b);
    }
    expect(seen.size).toBe(8);
  });
});
