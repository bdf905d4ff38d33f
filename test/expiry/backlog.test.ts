import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { oldestExpiredAge, sweepExpiredHolds } from '../../shared/holds/use-cases/expiry.js';
import { reserveStock } from '../../shared/holds/use-cases/reservations.js';
import { createTestTable, type TestDeps, type TestTable, testDeps } from '../support/dynamo.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

let local: DynamoDbLocal;
let table: TestTable;
let deps: TestDeps;
beforeAll(async () => {
  // A DynamoDB Local of its own: in one that has already streamed many records (the rest of the suite), every
  // write to a table created afterwards is several times slower, and this test writes 6,000 transactions.
  local = await startDynamoDbLocal();
  table = await createTestTable(local.endpoint);
  deps = testDeps(table);
});
afterAll(async () => {
  await table.drop();
  await local.stop();
});

describe('a backlog of expired holds', () => {
  it('drains completely: 3,000 expired holds are all released, in runs that each stop on time', async () => {
    // Prepare: 3,000 one-unit holds over 20 levels, then the clock passes all their expiries
    const HOLDS = 3_000;
    const levels = await Promise.all(Array.from({ length: 20 }, () => aStockedLevel(deps, HOLDS / 20)));
    const limit = pLimit(32);
    await Promise.all(
      Array.from({ length: HOLDS }, (_, i) =>
        limit(() =>
          reserveStock(
            deps,
            {
              ...(levels[i % levels.length] as (typeof levels)[number]),
              quantity: 1,
              ttlSeconds: 60 + (i % 300),
            },
            aPrincipal(),
          ),
        ),
      ),
    );
    deps.clock.advance(400_000);

    // Act: scheduled runs, each bounded to a few seconds, until one reports the index drained
    let expired = 0;
    let runs = 0;
    for (let drained = false; !drained && runs < 200; runs++) {
      const stopAt = Date.now() + 2_000;
      const report = await sweepExpiredHolds(deps, {
        batchSize: 100,
        concurrency: 32,
        shouldStop: () => Date.now() > stopAt,
      });
      expired += report.expired;
      drained = report.drained;
    }

    // Assess
    expect(expired).toBe(HOLDS);
    expect(await oldestExpiredAge(deps)).toBeNull();
    for (const level of levels) {
      const after = await expectLevelConsistent(deps, level.sku, level.locationId);
      expect(after).toMatchObject({ reserved: 0, available: HOLDS / 20 });
    }
    // 6,000 transactions: 20 to 40 s on a shared 2-core machine (the suite's 60 s default is too tight).
  }, 600_000);
});
