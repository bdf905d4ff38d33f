import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import {
  BusinessRuleError,
  IdempotencyConflictError,
  InsufficientStockError,
  NotFoundError,
  ValidationError,
} from '../../shared/kernel/errors.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { parsePolicyChange } from '../../shared/replenishment/domain/replenishment.js';
import {
  cancelReplenishment,
  getReplenishment,
  type LowStockReport,
  listReplenishments,
  openReplenishmentRequest,
  receiveReplenishment,
  setReplenishmentPolicy,
} from '../../shared/replenishment/use-cases/replenishment.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aKey, aLocation, aPrincipal, aSku, aStockedLevel, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { deps } = useTestTable();

const clerk = { actor: WAREHOUSE_CLERK, reason: 'delivery' };

/** A StockLow's detail for a level, as the event pipeline would deliver it. */
function stockLowOf(
  level: { sku: Sku; locationId: LocationId },
  available: number,
  reorderQuantity: number | null = 40,
): LowStockReport {
  const movementId = deps.ids.next();
  return {
    eventId: `StockLow#${movementId}`,
    occurredAt: new Date(deps.clock.now()).toISOString(),
    sku: level.sku,
    locationId: level.locationId,
    available,
    reorderPoint: 10,
    reorderQuantity,
    movementId,
  };
}

async function anOpenRequest(onHand = 8, quantity = 40, locationId?: LocationId) {
  const level = await aStockedLevel(deps, onHand, aSku(), locationId);
  await setReplenishmentPolicy(deps, { ...level, reorderPoint: 10, reorderQuantity: quantity }, clerk);
  const opened = await openReplenishmentRequest(deps, stockLowOf(level, onHand, quantity));
  if (!opened.request) throw new Error('no request opened');
  return { ...level, requestId: opened.request.requestId };
}

describe('the replenishment policy', () => {
  it('sets the reorder point and quantity and a safety stock that takes units out of available', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 20);

    const level = await setReplenishmentPolicy(
      deps,
      { sku, locationId, reorderPoint: 10, reorderQuantity: 40, safetyStock: 5 },
      clerk,
    );

    expect(level).toMatchObject({ onHand: 20, safetyStock: 5, available: 15, version: 2 });
    expect(level.policy).toEqual({ reorderPoint: 10, reorderQuantity: 40 });
    const movements = await deps.ledger.allMovements(sku, locationId);
    expect(movements.map((m) => [m.type, m.delta])).toContainEqual(['POLICY_SET', { safetyStock: 5 }]);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('lowers a safety stock back into available and keeps fields it is not given', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 20);
    await setReplenishmentPolicy(
      deps,
      { sku, locationId, reorderPoint: 10, reorderQuantity: 40, safetyStock: 5 },
      clerk,
    );

    const level = await setReplenishmentPolicy(deps, { sku, locationId, safetyStock: 2 }, clerk);

    expect(level).toMatchObject({ safetyStock: 2, available: 18, version: 3 });
    expect(level.policy).toEqual({ reorderPoint: 10, reorderQuantity: 40 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses a safety stock that would make available negative, changing nothing', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 6);
    await reserveStock(deps, { sku, locationId, quantity: 4 }, aPrincipal());

    const refused = setReplenishmentPolicy(deps, { sku, locationId, safetyStock: 3 }, clerk);

    await expect(refused).rejects.toBeInstanceOf(InsufficientStockError);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({
      available: 2,
      safetyStock: 0,
      version: 2,
    });
  });

  it('clears the reorder quantity with the reorder point, and refuses a reorder quantity without one', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 6);
    await setReplenishmentPolicy(deps, { sku, locationId, reorderPoint: 3, reorderQuantity: 10 }, clerk);

    const cleared = await setReplenishmentPolicy(deps, { sku, locationId, reorderPoint: null }, clerk);
    const refused = setReplenishmentPolicy(deps, { sku, locationId, reorderQuantity: 5 }, clerk);

    expect(cleared.policy).toEqual({ reorderPoint: null, reorderQuantity: null });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('validates a policy change field by field', () => {
    expect(() => parsePolicyChange({ reorderPoint: 0 })).toThrow(ValidationError);
    expect(() => parsePolicyChange({ reorderQuantity: 1.5 })).toThrow(/reorderQuantity/);
    expect(() => parsePolicyChange({ safetyStock: -1 })).toThrow(/safetyStock/);
    expect(() => parsePolicyChange({})).toThrow(ValidationError);
    expect(parsePolicyChange({ reorderPoint: null })).toEqual({ reorderPoint: null, reorderQuantity: null });
    expect(parsePolicyChange({ reorderPoint: 5, safetyStock: 0 })).toEqual({
      reorderPoint: 5,
      safetyStock: 0,
    });
  });

  it('is not found for a level that does not exist', async () => {
    const { locationId } = await aStockedLevel(deps, 1);
    await expect(
      setReplenishmentPolicy(deps, { sku: aSku(), locationId, reorderPoint: 3 }, clerk),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('opening a replenishment request', () => {
  it('opens one request and raises incoming by the reorder quantity, with a movement', async () => {
    const level = await aStockedLevel(deps, 8);

    const opened = await openReplenishmentRequest(deps, stockLowOf(level, 8));

    expect(opened.outcome).toBe('opened');
    expect(opened.request).toMatchObject({ status: 'OPEN', quantity: 40, receivedQuantity: 0 });
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({ incoming: 40, onHand: 8 });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });

  it('opens it once when the same StockLow is delivered twice, even concurrently', async () => {
    const level = await aStockedLevel(deps, 8);
    const report = stockLowOf(level, 8);

    const outcomes = await Promise.all([
      openReplenishmentRequest(deps, report),
      openReplenishmentRequest(deps, report),
      openReplenishmentRequest(deps, report),
    ]);

    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['opened', 'replay', 'replay']);
    expect(new Set(outcomes.map((o) => o.request?.requestId)).size).toBe(1);
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({ incoming: 40 });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });

  it('opens nothing while another request of the level is open', async () => {
    const { sku, locationId, requestId } = await anOpenRequest();

    const second = await openReplenishmentRequest(deps, stockLowOf({ sku, locationId }, 7));

    expect(second).toMatchObject({ outcome: 'already-open', request: { requestId } });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ incoming: 40 });
  });

  it('does not open a received request again when its StockLow comes back late', async () => {
    const level = await aStockedLevel(deps, 8);
    const report = stockLowOf(level, 8);
    const first = await openReplenishmentRequest(deps, report);
    const requestId = first.request?.requestId ?? '';
    await receiveReplenishment(deps, { ...level, requestId, quantity: 40 }, clerk);

    const late = await openReplenishmentRequest(deps, report);

    expect(late.outcome).toBe('replay');
    expect(late.request).toMatchObject({ requestId, status: 'RECEIVED' });
    expect(await deps.replenishments.getOpenReplenishment(level.sku, level.locationId)).toBeNull();
    expect(await readLevel(deps, level.sku, level.locationId)).toMatchObject({ incoming: 0, onHand: 48 });
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });

  it('only alerts when the policy has no reorder quantity', async () => {
    const level = await aStockedLevel(deps, 8);

    const outcome = await openReplenishmentRequest(deps, stockLowOf(level, 8, null));

    expect(outcome.outcome).toBe('alert-only');
    expect(await deps.replenishments.getOpenReplenishment(level.sku, level.locationId)).toBeNull();
  });

  it('is not found for a level that does not exist, leaving no request behind', async () => {
    const { locationId } = await aStockedLevel(deps, 1);
    const sku = aSku();

    await expect(openReplenishmentRequest(deps, stockLowOf({ sku, locationId }, 0))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await deps.replenishments.getOpenReplenishment(sku, locationId)).toBeNull();
  });
});

describe('receiving against a request', () => {
  it('closes the request and moves incoming to on-hand', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);

    const receipt = await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 40 }, clerk);

    expect(receipt.request).toMatchObject({
      status: 'RECEIVED',
      receivedQuantity: 40,
      closedBy: WAREHOUSE_CLERK,
    });
    expect(receipt.level).toMatchObject({ onHand: 48, incoming: 0, available: 48 });
    expect(await deps.replenishments.getOpenReplenishment(sku, locationId)).toBeNull();
    const movements = await deps.ledger.allMovements(sku, locationId);
    expect(movements.find((m) => m.type === 'RECEIVED' && m.reference?.id === requestId)?.delta).toEqual({
      onHand: 40,
      incoming: -40,
    });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('keeps a partly received request open, and adds units beyond it to on-hand only', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);

    const partial = await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 15 }, clerk);
    const rest = await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 30 }, clerk);

    expect(partial.request).toMatchObject({ status: 'OPEN', receivedQuantity: 15 });
    expect(partial.level).toMatchObject({ onHand: 23, incoming: 25 });
    expect(rest.request).toMatchObject({ status: 'RECEIVED', receivedQuantity: 45 });
    expect(rest.level).toMatchObject({ onHand: 53, incoming: 0 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('counts concurrent receipts against one request once each', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);

    await Promise.all(
      [10, 10, 10].map((quantity) =>
        receiveReplenishment(deps, { sku, locationId, requestId, quantity }, clerk),
      ),
    );

    expect(await getReplenishment(deps, { sku, locationId, requestId })).toMatchObject({
      status: 'OPEN',
      receivedQuantity: 30,
    });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 38, incoming: 10 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('answers a keyed receipt that is retried after it closed the request with its first result', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);
    const idempotencyKey = aKey();
    const input = { sku, locationId, requestId, quantity: 40, idempotencyKey };

    const first = await receiveReplenishment(deps, input, clerk);
    const retry = await receiveReplenishment(deps, input, clerk);
    const other = receiveReplenishment(deps, { ...input, quantity: 41 }, clerk);

    expect(retry).toMatchObject({ replayed: true, movementIds: first.movementIds });
    await expect(other).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 48, incoming: 0 });
  });

  it('refuses a receipt against a closed request or an unknown one', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);
    await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 40 }, clerk);

    await expect(
      receiveReplenishment(deps, { sku, locationId, requestId, quantity: 1 }, clerk),
    ).rejects.toBeInstanceOf(BusinessRuleError);
    await expect(
      receiveReplenishment(deps, { sku, locationId, requestId: deps.ids.next(), quantity: 1 }, clerk),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 48 });
  });

  it('receives a sharded level over its shards, incoming leaving shard 0', async () => {
    const level = await aStockedLevel(deps, 40, aSku(), undefined, 4);
    const opened = await openReplenishmentRequest(deps, stockLowOf(level, 9, 20));
    const requestId = opened.request?.requestId ?? '';

    const receipt = await receiveReplenishment(deps, { ...level, requestId, quantity: 20 }, clerk);

    expect(receipt.level).toMatchObject({ onHand: 60, incoming: 0 });
    const shards = await deps.levels.getLevelShards(level.sku, level.locationId);
    expect(shards.filter((s) => s.onHand > 10).length).toBeGreaterThan(1);
    await expectLevelConsistent(deps, level.sku, level.locationId);
  });
});

describe('cancelling a request', () => {
  it('takes what it still expected out of incoming, once', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);
    await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 15 }, clerk);

    const cancelled = await cancelReplenishment(deps, { sku, locationId, requestId }, clerk);
    const again = await cancelReplenishment(deps, { sku, locationId, requestId }, clerk);

    expect(cancelled).toMatchObject({
      changed: true,
      request: { status: 'CANCELLED', receivedQuantity: 15 },
    });
    expect(again.changed).toBe(false);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 23, incoming: 0 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses to cancel a received request', async () => {
    const { sku, locationId, requestId } = await anOpenRequest(8, 40);
    await receiveReplenishment(deps, { sku, locationId, requestId, quantity: 40 }, clerk);

    await expect(cancelReplenishment(deps, { sku, locationId, requestId }, clerk)).rejects.toBeInstanceOf(
      BusinessRuleError,
    );
  });
});

describe('listing requests', () => {
  it('lists a level’s open and closed requests, and every level’s from the index, page by page', async () => {
    const a = await anOpenRequest(8, 40);
    await receiveReplenishment(deps, { ...a, quantity: 40 }, clerk);
    const second = await openReplenishmentRequest(deps, stockLowOf(a, 5));
    const b = await anOpenRequest(3, 12);

    const openOfA = await listReplenishments(deps, { sku: a.sku, locationId: a.locationId });
    const closedOfA = await listReplenishments(deps, {
      sku: a.sku,
      locationId: a.locationId,
      state: 'CLOSED',
    });
    const firstPage = await listReplenishments(deps, { state: 'OPEN', limit: 1 });
    const rest = await listReplenishments(deps, { state: 'OPEN', limit: 100, cursor: firstPage.nextCursor });

    expect(openOfA.requests.map((r) => r.requestId)).toEqual([second.request?.requestId]);
    expect(closedOfA.requests.map((r) => [r.requestId, r.status])).toEqual([[a.requestId, 'RECEIVED']]);
    expect(firstPage.requests).toHaveLength(1);
    const everyOpen = [...firstPage.requests, ...rest.requests].map((r) => r.requestId);
    expect(everyOpen).toEqual(expect.arrayContaining([second.request?.requestId, b.requestId]));
    expect(everyOpen).not.toContain(a.requestId);
  });

  it('fills a location-filtered page from several index pages when other locations are newer', async () => {
    // Prepare: two open requests at one location, newer than the other tests' (the index orders by opening
    // time), then six newer ones elsewhere in front of them
    deps.clock.advance(3_600_000);
    const location = await aLocation(deps);
    const ours: string[] = [];
    for (let i = 0; i < 2; i++) {
      ours.push((await anOpenRequest(5, 20, location)).requestId);
      deps.clock.advance(1_000);
    }
    for (let i = 0; i < 6; i++) {
      await anOpenRequest(3, 12);
      deps.clock.advance(1_000);
    }

    // Act
    const page = await listReplenishments(deps, { locationId: location, limit: 2 });
    const warehousePage = await listReplenishments(deps, { within: new Set([location]), limit: 2 });

    // Assess
    expect(page.requests.map((r) => r.requestId).sort()).toEqual([...ours].sort());
    expect(warehousePage.requests.map((r) => r.locationId)).toEqual([location, location]);
  });

  it('refuses half a level, a forged cursor and an out-of-range limit', async () => {
    const { sku } = await aStockedLevel(deps, 1);
    expect(() => listReplenishments(deps, { sku })).toThrow(ValidationError);
    expect(() => listReplenishments(deps, { limit: 0 })).toThrow(ValidationError);
    await expect(listReplenishments(deps, { cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
