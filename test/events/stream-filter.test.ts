import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passesStreamFilter } from '../../infra/local/event-pipeline.js';
import {
  type EnrichmentDeps,
  enrichStreamRecord,
} from '../../shared/events/use-cases/enrich-stream-records.js';

/**
 * The enrichment does not evaluate the Pipe's filter itself (the Pipe does in the cloud, the local pipeline with
 * the matcher): these properties show that it needs not, because a record the filter drops gives no event and
 * touches no store in the enrichment either.
 */

/** A store that fails on any call: the enrichment of a dropped record must not read or write anything. */
const untouchable = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: (_target, method) => () => {
      throw new Error(`the enrichment called ${name}.${String(method)} for a record the filter drops`);
    },
  });
const untouchableStores: EnrichmentDeps = {
  levels: untouchable('levels'),
  ledger: untouchable('ledger'),
  alerts: untouchable('alerts'),
};

const KINDS = [
  'Level',
  'Reservation',
  'LevelAlert',
  'Replenishment',
  'Movement',
  'Idempotency',
  'Location',
  'Cart',
  'HolderCount',
];
const STATUSES = ['OPEN', 'RECEIVED', 'CANCELLED', 'HELD', 'CONFIRMED', 'EXPIRED'];

const image = fc.record(
  {
    kind: fc.oneof(fc.constantFrom(...KINDS), fc.string({ maxLength: 6 }), fc.integer()),
    status: fc.oneof(fc.constantFrom(...STATUSES), fc.integer()),
    sku: fc.constant('SKU-1'),
    locationId: fc.constant('WH-1'),
    lastMovementId: fc.constantFrom('01J00000000000000000000001', '01J00000000000000000000002'),
  },
  { requiredKeys: [] },
);

const streamRecord: fc.Arbitrary<DynamoDBRecord> = fc
  .record(
    {
      eventName: fc.constantFrom('INSERT', 'MODIFY', 'REMOVE') as fc.Arbitrary<
        'INSERT' | 'MODIFY' | 'REMOVE'
      >,
      newImage: fc.option(image, { nil: undefined }),
      oldImage: fc.option(image, { nil: undefined }),
    },
    { requiredKeys: ['eventName'] },
  )
  .map(({ eventName, newImage, oldImage }) => ({
    eventName,
    dynamodb: {
      ...(newImage
        ? { NewImage: marshall(newImage) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] }
        : {}),
      ...(oldImage
        ? { OldImage: marshall(oldImage) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] }
        : {}),
    },
  }));

describe('the enrichment of records the stream filter drops', () => {
  it('gives no event and calls no store for any record the filter drops', async () => {
    // Prepare
    const dropped = streamRecord.filter((record) => !passesStreamFilter(record));

    // Act / Assess
    await fc.assert(
      fc.asyncProperty(dropped, async (record) => {
        const events = await enrichStreamRecord(untouchableStores, record);
        expect(events).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('drops removals, other kinds, updates of a request and requests not opened', () => {
    // Prepare
    const record = (
      eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
      kind: string,
      status = 'OPEN',
    ): DynamoDBRecord => ({
      eventName,
      dynamodb: {
        NewImage: marshall({ kind, status }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      },
    });

    // Act
    const passes = [
      record('MODIFY', 'Level'),
      record('INSERT', 'Reservation'),
      record('MODIFY', 'LevelAlert'),
      record('INSERT', 'Replenishment'),
    ].map(passesStreamFilter);
    const drops = [
      { eventName: 'REMOVE', dynamodb: { OldImage: marshall({ kind: 'Level' }) } } as DynamoDBRecord,
      record('INSERT', 'Movement'),
      record('MODIFY', 'Replenishment'),
      record('INSERT', 'Replenishment', 'RECEIVED'),
    ].map(passesStreamFilter);

    // Assess
    expect(passes).toEqual([true, true, true, true]);
    expect(drops).toEqual([false, false, false, false]);
  });
});
