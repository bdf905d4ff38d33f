/** Units a level shows as sold beyond what it has: reserved past on-hand, or available below zero (must be 0). */
export function unitsOversold(level: { reserved: number; onHand: number; available: number }): number {
  return Math.max(0, level.reserved - level.onHand, -level.available);
}
