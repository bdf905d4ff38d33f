import { DomainError, InsufficientStockError } from '../../kernel/errors.js';
import type { CartId, LocationId, PrincipalId } from '../../kernel/identifiers.js';
import type { Coordinates } from '../../locations/domain/location.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import type { AllocationStrategy } from '../domain/allocation.js';
import { allocate } from '../domain/allocation.js';
import type { CartLine } from '../domain/cart.js';
import { type CartView, createCart, getCart } from './carts.js';

/** What the saga is given: the cart, and one entry per warehouse step of its plan. */
export interface CartSagaInput {
  readonly ownerId: PrincipalId;
  readonly cartId: CartId;
  readonly steps: ReadonlyArray<{ readonly stepIndex: number }>;
}

/**
 * Runs the cart saga to its end (Step Functions' StartSyncExecution in the cloud, the local stand-in that
 * executes the same definition on a laptop). The saga itself records the outcome on the cart. When the runner
 * cannot tell that the saga ended (the call failed or timed out), it rejects with CartSagaIncompleteError.
 */
export interface CartSagaRunner {
  run(input: CartSagaInput): Promise<void>;
}

/**
 * The saga did not run to its end, or its end is not known: the cart may still be PENDING. The same request
 * again re-drives it (every step and the compensation are idempotent), so the caller may retry (HTTP 503).
 */
export class CartSagaIncompleteError extends DomainError {
  readonly code = 'cart-saga-incomplete';
  readonly details: { cartId: CartId; retryAfterSeconds: number };
  constructor(cartId: CartId, reason: string, options?: { cause?: unknown }) {
    super(`the cart saga of ${cartId} did not finish (${reason}); retry the same request`, options);
    this.name = 'CartSagaIncompleteError';
    this.details = { cartId, retryAfterSeconds: 1 };
  }
}

export interface ReserveCartInput {
  readonly cartId: CartId;
  readonly lines: ReadonlyArray<{
    readonly sku: CartLine['sku'];
    readonly quantity: number;
    readonly locationId?: LocationId | null;
  }>;
  readonly strategy: AllocationStrategy;
  readonly destination?: Coordinates | null;
  readonly ttlSeconds?: number;
}

/** A cart line that no allocation can serve, named by its index. */
export class CartAllocationError extends InsufficientStockError {
  readonly lineIndex: number;
  constructor(lineIndex: number, details: ConstructorParameters<typeof InsufficientStockError>[0]) {
    super(details);
    this.lineIndex = lineIndex;
    this.name = 'CartAllocationError';
    const where =
      details.locationId === 'any' ? 'across the locations that may serve it' : `at ${details.locationId}`;
    this.message = `line ${lineIndex}: ${details.requested} ${details.sku} requested but only ${details.available} available ${where}`;
  }
}

/**
 * Hold a whole cart, all or nothing, possibly across warehouses.
 * 1. Read each SKU's availability at every location (one Query per SKU) and the locations.
 * 2. Allocate (a pure function): which warehouse serves which units, by the chosen strategy; a line nobody can
 *    serve is refused at once, before anything is held.
 * 3. Record the cart and its plan (PENDING); a retried request finds the same cart.
 * 4. Run the saga: for each warehouse, hold its lines in one transaction; on any failure, release everything.
 * 5. Answer the cart as the saga left it: HELD with its holds, or FAILED with the line that failed and why.
 */
export async function reserveCart(
  deps: UseCaseDeps,
  input: ReserveCartInput,
  owner: PrincipalId,
  saga: CartSagaRunner,
): Promise<{ cart: CartView; replayed: boolean }> {
  const existing = await deps.carts.getCart(owner, input.cartId);
  const lines: CartLine[] = input.lines.map((l) => ({
    sku: l.sku,
    quantity: l.quantity,
    locationId: l.locationId ?? null,
  }));
  const cart = {
    cartId: input.cartId,
    lines,
    strategy: input.strategy,
    ...(input.ttlSeconds ? { ttlSeconds: input.ttlSeconds } : {}),
  };
  if (!existing) {
    const skus = [...new Set(lines.map((l) => l.sku))];
    const [levels, locations] = await Promise.all([
      Promise.all(skus.map((sku) => deps.levels.getAvailability(sku))),
      deps.locations.listLocations(),
    ]);
    const result = allocate({
      lines,
      stock: levels
        .flat()
        .map((l) => ({ locationId: l.locationId, sku: l.sku, available: Math.max(0, l.available) })),
      locations,
      strategy: input.strategy,
      destination: input.destination ?? null,
    });
    if (!result.ok) {
      const { lineIndex, sku, requested, available } = result.failure;
      const line = lines[lineIndex];
      throw new CartAllocationError(lineIndex, {
        sku,
        locationId: (line?.locationId ?? 'any') as LocationId,
        requested,
        available,
      });
    }
    const { replayed } = await createCart(deps, cart, owner, result.plan.steps);
    if (!replayed) await runSaga(deps, saga, owner, input.cartId);
    return { cart: await getCart(deps, owner, input.cartId), replayed };
  }
  // The same cart again: re-drive a saga that never finished (steps and compensation are idempotent).
  const { replayed } = await createCart(deps, cart, owner, []);
  if (existing.status === 'PENDING' || existing.status === 'COMPENSATING')
    await runSaga(deps, saga, owner, input.cartId);
  return { cart: await getCart(deps, owner, input.cartId), replayed };
}

async function runSaga(
  deps: UseCaseDeps,
  saga: CartSagaRunner,
  owner: PrincipalId,
  cartId: CartId,
): Promise<void> {
  const cart = await deps.carts.getCart(owner, cartId);
  const steps = [...new Set(cart?.holds.map((h) => h.stepIndex) ?? [])].sort((a, b) => a - b);
  await saga.run({ ownerId: owner, cartId, steps: steps.map((stepIndex) => ({ stepIndex })) });
}
