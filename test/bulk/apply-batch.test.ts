import { describe, expect, it } from 'vitest';
import { applyBatch } from '../../shared/bulk/use-cases/apply-batch.js';
import { ManualClock } from '../../shared/kernel/clock.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocation, aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';

const clock = new ManualClock();
const { deps } = useTestTable({ clock });

describe('a skip-failed-rows batch running out of time', () => {
  it('starts no row after its start-by time and refuses those rows as not started, changing nothing', async () => {
    // Prepare
    const locationId = await aLocation(deps);
    const rows = [aSku(), aSku()].map((sku) => ({ op: 'receipt' as const, sku, locationId, quantity: 2 }));
    const startBy = clock.now() - 1;

    // Act
    const outcomes = await applyBatch(
      deps,
      { policy: 'skip-failed-rows', rows, startBy },
      WAREHOUSE_CLERK,
      () => true,
    );

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['refused', 'refused']);
    expect(outcomes[0]?.status === 'refused' && outcomes[0].error.code).toBe('store-unavailable');
    for (const row of rows) expect(await deps.levels.getLevel(row.sku, locationId)).toBeNull();
  });

  it('applies every row when the start-by time is not reached', async () => {
    // Prepare
    const locationId = await aLocation(deps);
    const rows = [aSku(), aSku()].map((sku) => ({ op: 'receipt' as const, sku, locationId, quantity: 2 }));

    // Act
    const outcomes = await applyBatch(
      deps,
      { policy: 'skip-failed-rows', rows, startBy: clock.now() + 60_000 },
      WAREHOUSE_CLERK,
      () => true,
    );

    // Assess
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
  });
});
