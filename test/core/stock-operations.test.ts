import { describe, expect, it } from 'vitest';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import {
  IdempotencyConflictError,
  InsufficientStockError,
  LocationInactiveError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../shared/kernel/errors.js';
import { updateLocation } from '../../shared/locations/use-cases/locations.js';
import { readAvailability, readLevel } from '../../shared/stock/use-cases/reads.js';
import {
  adjustStock,
  blockStock,
  countStock,
  receiveStock,
  transferStock,
} from '../../shared/stock/use-cases/stock-operations.js';
import { useTestTable } from '../support/dynamo.js';
import {
  aKey,
  aLocation,
  aLocationId,
  aPrincipal,
  aSku,
  aStockedLevel,
  WAREHOUSE_CLERK,
} from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const { deps } = useTestTable();

const clerk = { actor: WAREHOUSE_CLERK, reason: 'cycle count' };

describe('receive', () => {
  it('creates a level on first receipt and adds to it afterwards', async () => {
    const sku = aSku();
    const locationId = await aLocation(deps);
    const first = await receiveStock(deps, { sku, locationId, quantity: 5 }, clerk);
    const second = await receiveStock(deps, { sku, locationId, quantity: 7 }, clerk);
    expect(first.level).toMatchObject({ onHand: 5, available: 5, version: 1, reserved: 0, committed: 0 });
    expect(second.level).toMatchObject({ onHand: 12, available: 12, version: 2 });
    expect(second.movementIds).toHaveLength(1);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses a location that does not exist or is inactive, creating no level', async () => {
    const sku = aSku();
    const unknown = aLocationId();
    const inactive = await aLocation(deps);
    await updateLocation(deps, inactive, { active: false }, null);

    await expect(receiveStock(deps, { sku, locationId: unknown, quantity: 1 }, clerk)).rejects.toBeInstanceOf(
      LocationInactiveError,
    );
    await expect(
      receiveStock(deps, { sku, locationId: inactive, quantity: 1 }, clerk),
    ).rejects.toBeInstanceOf(LocationInactiveError);
    expect(await deps.levels.getLevel(sku, unknown)).toBeNull();
    expect(await deps.levels.getLevel(sku, inactive)).toBeNull();
  });

  it('replays a keyed receipt once and refuses the key with another body', async () => {
    const sku = aSku();
    const locationId = await aLocation(deps);
    const idempotencyKey = aKey();
    const first = await receiveStock(deps, { sku, locationId, quantity: 5, idempotencyKey }, clerk);
    const retry = await receiveStock(deps, { sku, locationId, quantity: 5, idempotencyKey }, clerk);
    const other = receiveStock(deps, { sku, locationId, quantity: 6, idempotencyKey }, clerk);

    expect(retry.replayed).toBe(true);
    expect(retry.movementIds).toEqual(first.movementIds);
    await expect(other).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 5, version: 1 });
  });
});

describe('adjust', () => {
  it('adds and removes units with a reason', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await adjustStock(
      deps,
      { sku, locationId, delta: 3 },
      { actor: WAREHOUSE_CLERK, reason: 'found in aisle 4' },
    );
    const { level } = await adjustStock(
      deps,
      { sku, locationId, delta: -5 },
      { actor: WAREHOUSE_CLERK, reason: 'damaged' },
    );
    expect(level).toMatchObject({ onHand: 8, available: 8, version: 3 });
    const movements = await deps.ledger.allMovements(sku, locationId);
    expect(movements.map((m) => m.reason)).toEqual(['initial stock', 'found in aisle 4', 'damaged']);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('requires a reason', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const error = await adjustStock(deps, { sku, locationId, delta: 1 }, { actor: WAREHOUSE_CLERK }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('reason');
  });

  it('refuses to remove units that are promised to holds', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await reserveStock(deps, { sku, locationId, quantity: 8 }, aPrincipal());
    const error = await adjustStock(deps, { sku, locationId, delta: -3 }, clerk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).details).toMatchObject({ requested: 3, available: 2 });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 10, reserved: 8, available: 2 });
  });

  it('refuses to adjust a level that does not exist', async () => {
    const locationId = await aLocation(deps);
    await expect(adjustStock(deps, { sku: aSku(), locationId, delta: 2 }, clerk)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('count (absolute set guarded by version)', () => {
  it('sets on-hand to the counted quantity and records the difference', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const { level } = await countStock(deps, { sku, locationId, onHand: 7, expectedVersion: 1 }, clerk);
    expect(level).toMatchObject({ onHand: 7, available: 7, version: 2 });
    const movements = await deps.ledger.allMovements(sku, locationId);
    expect(movements.at(-1)).toMatchObject({ type: 'COUNTED', delta: { onHand: -3 } });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses a stale version, changing nothing', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await receiveStock(deps, { sku, locationId, quantity: 1 }, clerk);
    const error = await countStock(deps, { sku, locationId, onHand: 3, expectedVersion: 1 }, clerk).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as VersionConflictError).details).toEqual({ expectedVersion: 1, actualVersion: 2 });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ onHand: 11, version: 2 });
  });

  it('lets exactly one of several counts at the same version win', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const results = await Promise.allSettled(
      [4, 5, 6, 7, 8].map((onHand) =>
        countStock(deps, { sku, locationId, onHand, expectedVersion: 1 }, clerk),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionConflictError);
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses a count below what is promised to holds', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    await reserveStock(deps, { sku, locationId, quantity: 6 }, aPrincipal());
    await expect(
      countStock(deps, { sku, locationId, onHand: 5, expectedVersion: 2 }, clerk),
    ).rejects.toBeInstanceOf(InsufficientStockError);
  });
});

describe('block and unblock', () => {
  it('moves units between available and unavailable', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 10);
    const blocked = await blockStock(deps, { sku, locationId, quantity: 4, direction: 'block' }, clerk);
    const unblocked = await blockStock(deps, { sku, locationId, quantity: 1, direction: 'unblock' }, clerk);
    expect(blocked.level).toMatchObject({ onHand: 10, unavailable: 4, available: 6 });
    expect(unblocked.level).toMatchObject({ onHand: 10, unavailable: 3, available: 7 });
    await expectLevelConsistent(deps, sku, locationId);
  });

  it('refuses to block more than available or unblock more than blocked', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 5);
    const tooMany = await blockStock(deps, { sku, locationId, quantity: 6, direction: 'block' }, clerk).catch(
      (e: unknown) => e,
    );
    const notBlocked = await blockStock(
      deps,
      { sku, locationId, quantity: 1, direction: 'unblock' },
      clerk,
    ).catch((e: unknown) => e);
    expect((tooMany as InsufficientStockError).details).toMatchObject({ bucket: 'available', available: 5 });
    expect((notBlocked as InsufficientStockError).details).toMatchObject({
      bucket: 'unavailable',
      available: 0,
    });
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ version: 1 });
  });
});

describe('transfer', () => {
  it('moves units between locations atomically, creating the destination level', async () => {
    const sku = aSku();
    const { locationId: from } = await aStockedLevel(deps, 10, sku);
    const to = await aLocation(deps);
    const result = await transferStock(deps, { sku, from, to, quantity: 4 }, clerk);
    expect(result.from).toMatchObject({ onHand: 6, available: 6 });
    expect(result.to).toMatchObject({ onHand: 4, available: 4 });
    const [out] = await deps.ledger
      .allMovements(sku, from)
      .then((m) => m.filter((x) => x.type === 'TRANSFERRED_OUT'));
    const [into] = await deps.ledger.allMovements(sku, to);
    expect(out?.reference).toEqual(into?.reference);
    await expectLevelConsistent(deps, sku, from);
    await expectLevelConsistent(deps, sku, to);
  });

  it('moves nothing when the source is short or the destination inactive', async () => {
    const sku = aSku();
    const { locationId: from } = await aStockedLevel(deps, 3, sku);
    const to = await aLocation(deps);
    const inactive = await aLocation(deps);
    await updateLocation(deps, inactive, { active: false }, null);

    await expect(transferStock(deps, { sku, from, to, quantity: 4 }, clerk)).rejects.toBeInstanceOf(
      InsufficientStockError,
    );
    await expect(transferStock(deps, { sku, from, to: inactive, quantity: 1 }, clerk)).rejects.toBeInstanceOf(
      LocationInactiveError,
    );
    expect(await readLevel(deps, sku, from)).toMatchObject({ onHand: 3, version: 1 });
    expect(await deps.levels.getLevel(sku, to)).toBeNull();
  });

  it('refuses a transfer to the same location', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 3);
    await expect(
      transferStock(deps, { sku, from: locationId, to: locationId, quantity: 1 }, clerk),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('availability across locations', () => {
  it('lists every location of a SKU with its available units and the total', async () => {
    const sku = aSku();
    const a = await aStockedLevel(deps, 4, sku);
    const b = await aStockedLevel(deps, 9, sku);
    await reserveStock(deps, { sku, locationId: b.locationId, quantity: 2 }, aPrincipal());
    const availability = await readAvailability(deps, sku);
    expect(availability.available).toBe(4 + 7);
    expect(Object.fromEntries(availability.locations.map((l) => [l.locationId, l.available]))).toEqual({
      [a.locationId]: 4,
      [b.locationId]: 7,
    });
  });

  it('refuses a SKU that no location has, naming it, rather than answering zero', async () => {
    const sku = aSku();
    await expect(readAvailability(deps, sku)).rejects.toMatchObject({
      code: 'unknown-sku',
      details: { sku },
    });
  });
});

describe('locations', () => {
  it('refuses a duplicate id and a stale version on update', async () => {
    const locationId = await aLocation(deps);
    await expect(aLocation(deps, locationId)).rejects.toMatchObject({ code: 'already-exists' });
    const updated = await updateLocation(deps, locationId, { name: 'Renamed', priority: 5 }, 1);
    expect(updated).toMatchObject({ name: 'Renamed', priority: 5, version: 2 });
    await expect(updateLocation(deps, locationId, { name: 'Again' }, 1)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(updateLocation(deps, aLocationId(), { name: 'Nobody' }, null)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await deps.locations.listLocations()).map((l) => l.locationId)).toContain(locationId);
  });
});

describe('movements', () => {
  it('pages through a ledger in both directions without gaps or repeats', async () => {
    // Prepare: 1 receipt + 11 adjustments = 12 movements
    const { sku, locationId } = await aStockedLevel(deps, 100);
    for (let i = 1; i <= 11; i++)
      await adjustStock(deps, { sku, locationId, delta: i }, { actor: WAREHOUSE_CLERK, reason: `r${i}` });

    // Act
    const pages = async (order: 'asc' | 'desc') => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await deps.ledger.listMovements(sku, locationId, { limit: 5, cursor, order });
        seen.push(...page.movements.map((m) => m.movementId));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const ascending = await pages('asc');
    const descending = await pages('desc');

    // Assess
    expect(ascending).toHaveLength(12);
    expect(new Set(ascending).size).toBe(12);
    expect([...ascending].sort()).toEqual(ascending);
    expect(descending).toEqual([...ascending].reverse());
  });

  it('refuses a forged cursor as a validation error', async () => {
    const { sku, locationId } = await aStockedLevel(deps, 1);
    for (const cursor of [
      'not-base64!',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"0":5}').toString('base64url'),
    ]) {
      await expect(
        deps.ledger.listMovements(sku, locationId, { limit: 5, cursor, order: 'asc' }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it('answers not found for the movements of a level that does not exist', async () => {
    const locationId = await aLocation(deps);
    await expect(
      deps.ledger.listMovements(aSku(), locationId, { limit: 5, cursor: null, order: 'asc' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the ledger read by movement id', () => {
  it('finds movements of several levels in batches of 100, and leaves out an id it does not hold', async () => {
    // Prepare: 3 levels with 2 movements each, asked 40 times over (120 refs: two batches, repeated keys)
    const levels = await Promise.all([1, 2, 3].map(() => aStockedLevel(deps, 10)));
    for (const { sku, locationId } of levels)
      await adjustStock(deps, { sku, locationId, delta: 1 }, { actor: WAREHOUSE_CLERK, reason: 'found' });
    const held = (
      await Promise.all(levels.map(({ sku, locationId }) => deps.ledger.allMovements(sku, locationId)))
    ).flat();
    const refs = held.map(({ sku, locationId, shard, movementId }) => ({
      sku,
      locationId,
      shard,
      movementId,
    }));
    const unknown = { ...(refs[0] as (typeof refs)[number]), movementId: 'M-NONE' };

    // Act
    const found = await deps.ledger.getMovements([...Array.from({ length: 40 }, () => refs).flat(), unknown]);

    // Assess
    expect(held).toHaveLength(6);
    expect([...found.keys()].sort()).toEqual(held.map((m) => m.movementId).sort());
    for (const movement of held) expect(found.get(movement.movementId)).toEqual(movement);
  });
});
