import { describe, expect, it } from 'vitest';
import {
  aggregate,
  changesThatFit,
  countsOf,
  type Gauges,
  hourOf,
  locationScope,
  regionScope,
  type Scope,
} from '../../shared/analytics/domain/aggregation.js';
import { hoursBetween, seriesOf } from '../../shared/analytics/domain/series.js';
import type { LevelChange } from '../../shared/changes/domain/change.js';
import {
  type LocationId,
  parseLocationId,
  parsePrincipalId,
  parseSku,
} from '../../shared/kernel/identifiers.js';
import type { MovementType } from '../../shared/stock/domain/movement.js';
import type { BucketDelta } from '../../shared/stock/domain/stock-level.js';

const HERE = parseLocationId('WH-1');
const THERE = parseLocationId('WH-2');
const regionOf = (id: LocationId) => (id === HERE || id === THERE ? 'eu' : null);

function change(
  type: MovementType,
  delta: BucketDelta,
  available: number,
  at: string,
  locationId = HERE,
): LevelChange {
  return {
    sku: parseSku('TEE'),
    locationId,
    shard: 0,
    version: 1,
    movementId: 'M',
    type,
    delta,
    reason: null,
    reference: null,
    reservationId: null,
    actor: parsePrincipalId('a'),
    at,
    level: { onHand: 0, reserved: 0, committed: 0, unavailable: 0, safetyStock: 0, incoming: 0, available },
  };
}

describe('aggregating changes', () => {
  it('counts each kind of hold transition, the units reserved and a sell-out', () => {
    expect(countsOf(change('RESERVED', { reserved: 3 }, 0, '2026-01-01T10:00:00Z'))).toMatchObject({
      holdsCreated: 1,
      unitsReserved: 3,
      sellOuts: 1,
    });
    expect(
      countsOf(change('CONFIRMED', { reserved: -3, committed: 3 }, 0, '2026-01-01T10:00:00Z')),
    ).toMatchObject({ holdsConfirmed: 1, sellOuts: 0 });
    expect(countsOf(change('RELEASED', { reserved: -1 }, 1, '2026-01-01T10:00:00Z')).holdsReleased).toBe(1);
    expect(countsOf(change('EXPIRED', { reserved: -1 }, 1, '2026-01-01T10:00:00Z')).holdsExpired).toBe(1);
  });

  it("adds each scope's deltas to its totals, and gives each hour the figures after its last change", () => {
    // Prepare: 10 on hand before, here; nothing recorded for the region yet
    const before = new Map<Scope, Gauges>([[locationScope(HERE), { onHand: 10, available: 10, held: 0 }]]);
    const changes = [
      change('RESERVED', { reserved: 4 }, 6, '2026-01-01T10:05:00Z'),
      change('RECEIVED', { onHand: 5 }, 11, '2026-01-01T11:30:00Z'),
      change('RECEIVED', { onHand: 2 }, 2, '2026-01-01T11:40:00Z', THERE),
    ];

    // Act
    const result = aggregate(changes, before, regionOf);

    // Assess
    expect(result.totals.get(locationScope(HERE))).toEqual({ onHand: 5, available: 1, held: 4 });
    expect(result.totals.get(regionScope('eu'))).toEqual({ onHand: 7, available: 3, held: 4 });
    const hour = (scope: Scope, h: string) => result.hours.find((u) => u.scope === scope && u.hour === h);
    expect(hour(locationScope(HERE), '2026-01-01T10')?.gauges).toEqual({ onHand: 10, available: 6, held: 4 });
    expect(hour(locationScope(HERE), '2026-01-01T11')?.gauges).toEqual({
      onHand: 15,
      available: 11,
      held: 4,
    });
    expect(hour(regionScope('eu'), '2026-01-01T11')?.gauges).toEqual({ onHand: 7, available: 3, held: 4 });
    expect(hour(regionScope('eu'), '2026-01-01T11')?.counts.changes).toBe(2);
  });

  it('cuts a step where one more change would need more items than a transaction holds', () => {
    const changes = Array.from({ length: 60 }, (_, i) =>
      change(
        'RECEIVED',
        { onHand: 1 },
        1,
        `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`,
      ),
    );
    const fit = changesThatFit(changes, regionOf, 99);
    // the cursor and two totals, then two items (location hour, region hour) per change: 3 + 2 × 48 = 99
    expect(fit).toBe(48);
  });

  it('buckets by the UTC hour', () => {
    expect(hourOf('2026-11-29T19:59:59.999Z')).toBe('2026-11-29T19');
  });
});

describe('a series', () => {
  it('fills every hour, carries the figures through quiet hours, and derives the rates', () => {
    // Prepare
    const hours = hoursBetween(Date.parse('2026-01-01T09:30:00Z'), Date.parse('2026-01-01T12:00:00Z'));
    const counts = {
      changes: 5,
      holdsCreated: 4,
      holdsConfirmed: 1,
      holdsReleased: 0,
      holdsExpired: 0,
      unitsReserved: 8,
      sellOuts: 0,
    };

    // Act
    const points = seriesOf(
      hours,
      [{ hour: '2026-01-01T10', counts, gauges: { onHand: 30, available: 20, held: 8 } }],
      { hour: '2026-01-01T07', counts, gauges: { onHand: 12, available: 12, held: 0 } },
    );

    // Assess
    expect(hours).toEqual(['2026-01-01T09', '2026-01-01T10', '2026-01-01T11']);
    expect(points.map((p) => [p.hour, p.onHand, p.holdsCreated])).toEqual([
      ['2026-01-01T09:00:00.000Z', 12, 0],
      ['2026-01-01T10:00:00.000Z', 30, 4],
      ['2026-01-01T11:00:00.000Z', 30, 0],
    ]);
    expect(points[1]).toMatchObject({ holdToConfirmRate: 0.25, hoursToSellOut: 2.5 });
    expect(points[2]).toMatchObject({ holdToConfirmRate: null, hoursToSellOut: null });
  });
});
