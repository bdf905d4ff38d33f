import { describe, expect, it } from 'vitest';
import { DynamoChangeFeedStore } from '../../shared/changes/store/dynamo-change-feed-store.js';
import { InvariantViolationError } from '../../shared/kernel/errors.js';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { storeContext } from '../../shared/platform/store/store-context.js';
import { useTestTable } from '../support/dynamo.js';
import { aLocationId, aSku } from '../support/fixtures.js';
import { aReceiptChange } from '../support/level-changes.js';

const { table } = useTestTable();
const feed = new DynamoChangeFeedStore(storeContext({ client: table.client, tableName: table.tableName }));

const versions = (sku: Sku, locationId: LocationId, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => aReceiptChange(sku, locationId, from + i));

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
    const skipping = feed.append([aReceiptChange(sku, locationId, 4)]);

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
