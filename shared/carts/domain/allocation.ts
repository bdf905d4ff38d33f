import { InvariantViolationError } from '../../kernel/errors.js';
import { distanceKm } from '../../kernel/geo.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Coordinates, Location } from '../../locations/domain/location.js';
import {
  type AllocationLine,
  type AllocationRequest,
  type LocationStock,
  parseAllocationRequest,
  stockKey,
} from './allocation-request.js';

/**
 * Cart allocation: which active location serves which units of a cart. Pure and deterministic (no clock, no
 * randomness, code-unit string order rather than locale order), so that a saga that retries after a crash
 * recomputes the same plan from the same stock and reserves the same steps.
 *
 * Rules shared by every strategy:
 * - Only active locations serve; a pinned line is served only by its location.
 * - The stock of a SKU at a location is shared by every line of that SKU: the plan never takes more than it.
 * - A line is served whole by one location whenever an allowed location still has enough when the line is
 *   allocated; it is split, across several locations, only when none has.
 * - Pinned lines are allocated before the others (each group in line order): they have no choice, so an
 *   unpinned line must not take the units a pinned line needs.
 */
export {
  ALLOCATION_STRATEGIES,
  type AllocationRequest,
  type AllocationStrategy,
  type CartLine,
  type LocationStock,
  MAX_CART_LINES,
} from './allocation-request.js';

export interface AllocatedLine {
  readonly lineIndex: number;
  readonly sku: Sku;
  readonly quantity: number;
}

/** What one location ships: the saga reserves a step in one all-or-nothing transaction. */
export interface AllocationStep {
  readonly locationId: LocationId;
  /** By line index; a split line appears in several steps. */
  readonly lines: readonly AllocatedLine[];
}

export interface AllocationPlan {
  /** In the strategy's order of preference. */
  readonly steps: readonly AllocationStep[];
}

/** The first line (in allocation order) that cannot be served, and how many of its units could be found. */
export interface AllocationFailure {
  readonly lineIndex: number;
  readonly sku: Sku;
  readonly requested: number;
  /** Units at the line's allowed locations left after the lines allocated before it. */
  readonly available: number;
}

export type AllocationResult =
  | { readonly ok: true; readonly plan: AllocationPlan }
  | { readonly ok: false; readonly failure: AllocationFailure };

/**
 * Allocates a cart.
 *
 * - `priority`: locations ranked by priority, then id. Each line goes whole to the first location that still
 *   has enough, or else is split over the ranked locations in order.
 * - `nearest`: the same, with locations ranked by great-circle distance to the destination; locations without
 *   coordinates come after all others, by priority. Ties by priority, then id.
 * - `fewest-shipments`: as few distinct locations as it can. A greedy set cover: after the pinned lines, lines
 *   that fit whole where the plan already ships go there; then it repeatedly adds the location that can serve
 *   the most remaining units in whole lines (ties by priority), which is the best-ranked single location
 *   whenever one can serve the whole cart; lines that no location can serve whole are split last, first over
 *   the locations already in the plan. Greedy set cover is not optimal: it can be off by a logarithmic
 *   factor, and a line served where the plan already ships can eat stock a later line needed there. It is
 *   acceptable: carts are small (a few lines, at most 50), so there is little room for greedy to go wrong,
 *   and when it does the cost is an extra parcel, never a refused order, while an exact cover is NP-hard.
 *   As a cheap guard the priority plan is also computed and kept when it uses fewer locations, so this
 *   strategy never ships from more places than `priority`.
 *
 * Whether the cart can be served does not depend on the strategy: an unpinned line may draw on every active
 * location, so only the totals matter. The failure is the first short line, pinned lines first.
 *
 * Throws `ValidationError` for a malformed request (empty or oversized cart, bad quantity, `nearest` without
 * a destination, duplicated locations or stock entries).
 */
export function allocate(request: AllocationRequest): AllocationResult {
  const { lines, locations, stock, strategy, destination } = parseAllocationRequest(request);
  const shelf = Shelf.of(stock, new Set(locations.map((l) => l.locationId)));
  const order = [...lines.filter((l) => l.pin !== null), ...lines.filter((l) => l.pin === null)];
  const byPriority = [...locations].sort(comparePriority).map((l) => l.locationId);
  const priorityPlan = serveInOrder(order, byPriority, shelf.copy());
  if (!priorityPlan.ok) return priorityPlan;

  switch (strategy) {
    case 'priority':
      return { ok: true, plan: toPlan(priorityPlan.takes, byPriority) };
    case 'nearest': {
      const ranking = rankByDistance(locations, destination as Coordinates);
      const nearest = serveInOrder(order, ranking, shelf.copy());
      if (!nearest.ok) throw new InvariantViolationError('a cart the priority plan serves must be servable');
      return { ok: true, plan: toPlan(nearest.takes, ranking) };
    }
    case 'fewest-shipments': {
      const greedy = coverGreedily(order, byPriority, shelf.copy());
      const takes = locationCount(greedy) <= locationCount(priorityPlan.takes) ? greedy : priorityPlan.takes;
      return { ok: true, plan: toPlan(takes, byPriority) };
    }
  }
}

export interface StepItems {
  readonly locationId: LocationId;
  /** One entry per SKU, in order of the SKU's first line. */
  readonly items: readonly { readonly sku: Sku; readonly quantity: number }[];
}

/**
 * The units each step takes per SKU. Two lines of the same SKU at one location change the same stock level,
 * and a DynamoDB transaction may touch an item only once, so the saga reserves them as one item.
 */
export function stepsFor(plan: AllocationPlan): StepItems[] {
  return plan.steps.map((step) => {
    const bySku = new Map<Sku, number>();
    for (const line of step.lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
    return { locationId: step.locationId, items: [...bySku].map(([sku, quantity]) => ({ sku, quantity })) };
  });
}

interface Take {
  readonly line: AllocationLine;
  readonly locationId: LocationId;
  readonly quantity: number;
}

/** Units still free per (location, SKU) while a plan is built; only active locations are on it. */
class Shelf {
  private constructor(private readonly left: Map<string, number>) {}

  static of(stock: readonly LocationStock[], active: ReadonlySet<LocationId>): Shelf {
    const left = new Map<string, number>();
    for (const entry of stock) {
      if (active.has(entry.locationId))
        left.set(stockKey(entry.locationId, entry.sku), Math.max(0, entry.available));
    }
    return new Shelf(left);
  }

  copy(): Shelf {
    return new Shelf(new Map(this.left));
  }

  available(locationId: LocationId, sku: Sku): number {
    return this.left.get(stockKey(locationId, sku)) ?? 0;
  }

  take(line: AllocationLine, locationId: LocationId, quantity: number): Take {
    const have = this.available(locationId, line.sku);
    if (quantity > have) {
      throw new InvariantViolationError(
        `${quantity} of ${line.sku} taken at ${locationId} with ${have} left`,
      );
    }
    this.left.set(stockKey(locationId, line.sku), have - quantity);
    return { line, locationId, quantity };
  }
}

type InOrder = { ok: true; takes: Take[] } | { ok: false; failure: AllocationFailure };

/** Each line, in order, whole at the first ranked location that has enough, else split in ranked order. */
function serveInOrder(
  order: readonly AllocationLine[],
  ranking: readonly LocationId[],
  shelf: Shelf,
): InOrder {
  const takes: Take[] = [];
  for (const line of order) {
    const allowed = line.pin === null ? ranking : ranking.filter((id) => id === line.pin);
    const whole = allowed.find((id) => shelf.available(id, line.sku) >= line.quantity);
    if (whole !== undefined) {
      takes.push(shelf.take(line, whole, line.quantity));
      continue;
    }
    const found = allowed.reduce((sum, id) => sum + shelf.available(id, line.sku), 0);
    if (found < line.quantity) {
      const failure = { lineIndex: line.index, sku: line.sku, requested: line.quantity, available: found };
      return { ok: false, failure };
    }
    takes.push(...split(line, allowed, shelf));
  }
  return { ok: true, takes };
}

/** Takes a line's units from the locations in the given order, as many as each has. */
function split(line: AllocationLine, order: readonly LocationId[], shelf: Shelf): Take[] {
  const takes: Take[] = [];
  let left = line.quantity;
  for (const id of order) {
    if (left === 0) break;
    const quantity = Math.min(left, shelf.available(id, line.sku));
    if (quantity > 0) {
      takes.push(shelf.take(line, id, quantity));
      left -= quantity;
    }
  }
  if (left > 0)
    throw new InvariantViolationError(`line ${line.index} is short although the cart was checked`);
  return takes;
}

/** The fewest-shipments greedy cover (see `allocate`). The cart is known to be servable. */
function coverGreedily(
  order: readonly AllocationLine[],
  byPriority: readonly LocationId[],
  shelf: Shelf,
): Take[] {
  const takes: Take[] = [];
  const used = new Set<LocationId>();
  let rest: AllocationLine[] = [];
  for (const line of order) {
    if (line.pin === null) {
      rest.push(line);
    } else {
      takes.push(shelf.take(line, line.pin, line.quantity));
      used.add(line.pin);
    }
  }
  rest = rest.filter((line) => {
    const at = byPriority.find((id) => used.has(id) && shelf.available(id, line.sku) >= line.quantity);
    if (at === undefined) return true;
    takes.push(shelf.take(line, at, line.quantity));
    return false;
  });
  for (;;) {
    let best: { locationId: LocationId; lines: AllocationLine[]; units: number } | null = null;
    for (const id of byPriority) {
      if (used.has(id)) continue;
      const lines = wholeLinesAt(id, rest, shelf);
      const units = lines.reduce((sum, l) => sum + l.quantity, 0);
      if (units > (best?.units ?? 0)) best = { locationId: id, lines, units };
    }
    if (best === null) break;
    const chosen = best;
    for (const line of chosen.lines) takes.push(shelf.take(line, chosen.locationId, line.quantity));
    used.add(chosen.locationId);
    rest = rest.filter((line) => !chosen.lines.includes(line));
  }
  // No location can serve any remaining line whole (stock only shrinks, so that stays true): split each,
  // first over the locations already shipping, then over those with the most units of the SKU.
  for (const line of rest) {
    const others = byPriority
      .filter((id) => !used.has(id))
      .sort((a, b) => shelf.available(b, line.sku) - shelf.available(a, line.sku));
    const parts = split(line, [...byPriority.filter((id) => used.has(id)), ...others], shelf);
    for (const part of parts) used.add(part.locationId);
    takes.push(...parts);
  }
  return takes;
}

/** The lines (first fit, in order) a location could serve whole, sharing its stock between lines of a SKU. */
function wholeLinesAt(
  locationId: LocationId,
  lines: readonly AllocationLine[],
  shelf: Shelf,
): AllocationLine[] {
  const left = new Map<Sku, number>();
  return lines.filter((line) => {
    const have = left.get(line.sku) ?? shelf.available(locationId, line.sku);
    if (have < line.quantity) return false;
    left.set(line.sku, have - line.quantity);
    return true;
  });
}

function locationCount(takes: readonly Take[]): number {
  return new Set(takes.map((t) => t.locationId)).size;
}

/** Groups takes into steps in ranking order, lines by index. */
function toPlan(takes: readonly Take[], ranking: readonly LocationId[]): AllocationPlan {
  const byLocation = new Map<LocationId, AllocatedLine[]>();
  for (const take of takes) {
    const lines = byLocation.get(take.locationId) ?? [];
    lines.push({ lineIndex: take.line.index, sku: take.line.sku, quantity: take.quantity });
    byLocation.set(take.locationId, lines);
  }
  const steps = ranking.flatMap((locationId) => {
    const lines = byLocation.get(locationId);
    return lines ? [{ locationId, lines: lines.sort((a, b) => a.lineIndex - b.lineIndex) }] : [];
  });
  return { steps };
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const comparePriority = (a: Location, b: Location) =>
  a.priority - b.priority || compareText(a.locationId, b.locationId);

function rankByDistance(locations: readonly Location[], destination: Coordinates): LocationId[] {
  const distance = (l: Location) =>
    l.coordinates === null ? Number.POSITIVE_INFINITY : distanceKm(l.coordinates, destination);
  return locations
    .map((location) => ({ location, km: distance(location) }))
    .sort((a, b) => (a.km === b.km ? comparePriority(a.location, b.location) : a.km - b.km))
    .map((r) => r.location.locationId);
}
