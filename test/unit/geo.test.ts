import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundCoordinate } from '../../shared/kernel/geo.js';

/** DynamoDB stores a number of at most 38 significant digits, with a magnitude from 1e-130 to below 1e126. */
function dynamoCanStore(n: number): boolean {
  if (n === 0) return true;
  const magnitude = Math.abs(n);
  return magnitude >= 1e-130 && magnitude < 1e126;
}

describe('a coordinate', () => {
  it.each([
    [1e-131, 0],
    [-1e-131, 0],
    [-0, 0],
    [-0.00000004, 0],
    [45.76000004, 45.76],
    [45.12345675, 45.1234568],
    [-179.99999996, -180],
  ])('%d is kept as %d', (sent, kept) => {
    const rounded = roundCoordinate(sent);
    expect(rounded).toBe(kept);
    expect(Object.is(rounded, -0)).toBe(false);
  });

  it('is always kept as a number DynamoDB can store, never -0, within 0.00000005 of what was sent', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), (sent) => {
        const rounded = roundCoordinate(sent);
        expect(dynamoCanStore(rounded)).toBe(true);
        expect(Object.is(rounded, -0)).toBe(false);
        expect(Math.abs(rounded - sent)).toBeLessThanOrEqual(0.00000005 + 1e-12);
      }),
      { numRuns: 5000 },
    );
  });
});
