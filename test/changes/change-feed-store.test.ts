import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LevelChange } from '../../shared/changes/domain/change.js';
import { DynamoChangeFeedStore } from '../../shared/changes/store/dynamo-change-feed-store.js';
import { InvariantViolationError } from '../../shared/kernel/errors.js';
import { type LocationId, parsePrincipalId, type Sku } from '../../shared/kernel/identifiers.js';
import { storeContext } from '../../shared/platform/store/store-context.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { aLocationId, aSku } from '../support/fixtures.js';

let table: TestTable;
let feed: DynamoChangeFeedStore;

beforeAll(async () => {
  table = await createTestTable();
  feed = new DynamoChangeFeedStore(storeContext({ client: table.client, tableName: table.tableName }));
});
afterAll(() => table.drop());

/** The change of a level shard at `version` (one unit received each time). */
function changeAt(sku: Sku, locationId: LocationId, version: number, shard = 0): LevelChange {
  return {
    sku,
    locationId,
    shard,
    version,
    movementId: `01JCHANGE${String(version).padStart(17, '0')}`,
    type: 'RECEIVED',
    delta: { onHand: 1 },
    reason: null,
    reference: null,
    reservationId: null,
    actor: parsePrincipalId('clerk-1'),
    at: '2026-11-29T10:00:00.000Z',
    level: {
      onHand: version,
      reserved: 0,
      committed: 0,
      unavailable: 0,
      safetyStock: 0,
      incoming: 0,
      available: version,
    },
  };
}

const versions = (sku: Sku, locationId: LocationId, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => changeAt(sku, locationId, from + i));

async function everything() {
  const all = [];
  for (let after = 0; ; ) {
    const { changes } = await feed.readAfter(after, 100);
    if (changes.length === 0) return all;
    all.push(...changes);
    after = changes.at(-1)?.seq ?? after;
  }
}

describe('the change feed store', () => {
  it('gives concurrent appenders dense, distinct positions, and keeps each level shard in version order', async () => {
    // Prepare: four writers (as four stream shards' consumers), each with its own level's changes
    const writers = Array.from({ length: 4 }, () => ({ sku: aSku(), locationId: aLocationId() }));
    const headBefore = await feed.head();

    // Act
    await Promise.all(
      writers.map(async ({ sku, locationId }) => {
        for (let v = 1; v <= 9; v += 3) await feed.append(versions(sku, locationId, v, v + 2));
      }),
    );

    // Assess
    const all = (await everything()).filter((c) => c.seq > headBefore);
    expect(all.map((c) => c.seq)).toEqual(Array.from({ length: 36 }, (_, i) => headBefore + 1 + i));
    expect(await feed.head()).toBe(headBefore + 36);
    for (const { sku } of writers) {
      expect(all.filter((c) => c.sku === sku).map((c) => c.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });

  it('skips what it holds already when a batch is delivered again, whole or overlapping', async () => {
    // Prepare
    const sku = aSku();
    const locationId = aLocationId();
    await feed.append(versions(sku, locationId, 1, 3));
    const head = await feed.head();

    // Act
    const again = await feed.append(versions(sku, locationId, 1, 3));
    const overlapping = await feed.append(versions(sku, locationId, 2, 5));

    // Assess
    expect(again).toEqual({ appended: 0, duplicates: 3 });
    expect(overlapping).toEqual({ appended: 2, duplicates: 2 });
    const { changes } = await feed.readAfter(head - 3, 100);
    expect(changes.filter((c) => c.sku === sku).map((c) => c.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a change whose predecessor it lacks, rather than let a gap in', async () => {
    // Prepare
    const sku = aSku();
    const locationId = aLocationId();
    await feed.append(versions(sku, locationId, 1, 2));
    const head = await feed.head();

    // Act
    const skipping = feed.append([changeAt(sku, locationId, 4)]);

    // Assess
    await expect(skipping).rejects.toBeInstanceOf(InvariantViolationError);
    expect(await feed.head()).toBe(head);
  });

  it('reads no further than the head, and from any position', async () => {
    // Prepare
    const sku = aSku();
    await feed.append(versions(sku, aLocationId(), 1, 4));
    const head = await feed.head();

    // Act
    const tail = await feed.readAfter(head - 2, 100);
    const beyond = await feed.readAfter(head, 100);

    // Assess
    expect(tail.changes.map((c) => c.seq)).toEqual([head - 1, head]);
    expect(tail.changes.map((c) => c.version)).toEqual([3, 4]);
    expect(beyond).toEqual({ changes: [], head });
  });
});
