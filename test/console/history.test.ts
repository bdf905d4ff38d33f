import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../console/src/csv.js';
import { historyOf } from '../../console/src/history.js';
import type { Level, Movement } from '../../console/src/types.js';

const level = (figures: Partial<Level>): Level => ({
  sku: 'MUG-LOGO',
  locationId: 'WH-BERLIN',
  onHand: 0,
  reserved: 0,
  committed: 0,
  unavailable: 0,
  safetyStock: 0,
  incoming: 0,
  available: 0,
  version: 0,
  reorderPoint: null,
  reorderQuantity: null,
  shards: 1,
  updatedAt: null,
  ...figures,
});

const movement = (at: string, delta: Movement['delta']): Movement => ({
  movementId: at,
  sku: 'MUG-LOGO',
  locationId: 'WH-BERLIN',
  type: 'X',
  delta,
  reason: null,
  reference: null,
  reservationId: null,
  actor: 'clerk',
  at,
});

describe("a level's history for the chart", () => {
  it('walks back from the level as it is now, taking off each movement, oldest point first', () => {
    // Prepare: received 10, reserved 3, blocked 2: now 10 on hand, 5 available.
    const now = level({ onHand: 10, reserved: 3, unavailable: 2, available: 5 });
    const newestFirst = [
      movement('2026-01-01T00:03:00Z', { unavailable: 2 }),
      movement('2026-01-01T00:02:00Z', { reserved: 3 }),
      movement('2026-01-01T00:01:00Z', { onHand: 10 }),
    ];

    // Act
    const points = historyOf(now, newestFirst);

    // Assess
    expect(points).toEqual([
      { at: Date.parse('2026-01-01T00:01:00Z') / 1000, onHand: 10, available: 10 },
      { at: Date.parse('2026-01-01T00:02:00Z') / 1000, onHand: 10, available: 7 },
      { at: Date.parse('2026-01-01T00:03:00Z') / 1000, onHand: 10, available: 5 },
    ]);
  });
});

describe('a stock file read for the batch API', () => {
  it('gives each row its line, its integer fields as numbers, a type:id reference as {type, id}, and keeps quoted commas', () => {
    // Prepare
    const text =
      'op,sku,locationId,quantity,reason,reference\r\nreceipt,00123,WH-BERLIN,5,"box, damaged",po:1042\n\nblock,MUG,WH-PARIS,2,,\n';

    // Act
    const { header, rows } = parseCsv(text);

    // Assess
    expect(header).toEqual(['op', 'sku', 'locationId', 'quantity', 'reason', 'reference']);
    expect(rows).toEqual([
      {
        line: 2,
        values: {
          op: 'receipt',
          sku: '00123',
          locationId: 'WH-BERLIN',
          quantity: 5,
          reason: 'box, damaged',
          reference: { type: 'po', id: '1042' },
        },
      },
      { line: 4, values: { op: 'block', sku: 'MUG', locationId: 'WH-PARIS', quantity: 2 } },
    ]);
  });
});
