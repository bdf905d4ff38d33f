import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table's schema, written once. The CDK data construct, the local runtime and the tests all build the
 * table from this object, so the table that deploys is the table that is tested.
 */
export const HOLD_INDEX_PROJECTION = [
  'reservationId',
  'sku',
  'locationId',
  'parts',
  'quantity',
  'ownerId',
  'countedHold',
] as const;

/**
 * No index may add a key attribute that items with a TTL lack: DynamoDB Local (2.6.1) builds the key of every item
 * its TTL process deletes from *all* the table's attribute definitions, and skips the deletion when one is
 * missing, so a new index key would silently stop held reservations from being purged locally (the TTL backstop's
 * test catches it). New access patterns reuse the existing index keys instead (GSI overloading): replenishment
 * requests are listed through `expiry`, with their own `expiryBucket` values; the listings through `list1` and
 * `list2`, whose four key attributes every reservation carries (see docs/data-model.md).
 */
export const TABLE_SCHEMA = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  timeToLiveAttribute: 'ttl',
  streamView: 'NEW_AND_OLD_IMAGES',
  globalIndexes: [
    {
      indexName: 'expiry',
      partitionKey: { name: 'expiryBucket', type: 'S' },
      sortKey: { name: 'expiresAt', type: 'N' },
      projection: 'INCLUDE',
      nonKeyAttributes: HOLD_INDEX_PROJECTION,
    },
    {
      indexName: 'levelHolds',
      partitionKey: { name: 'holdLevel', type: 'S' },
      sortKey: { name: 'expiresAt', type: 'N' },
      projection: 'INCLUDE',
      nonKeyAttributes: HOLD_INDEX_PROJECTION,
    },
    // The listing indexes (docs/data-model.md, "Listing indexes"): overloaded, keys only, keys set once per item.
    {
      indexName: 'list1',
      partitionKey: { name: 'list1pk', type: 'S' },
      sortKey: { name: 'list1sk', type: 'S' },
      projection: 'KEYS_ONLY',
      nonKeyAttributes: [],
    },
    {
      indexName: 'list2',
      partitionKey: { name: 'list2pk', type: 'S' },
      sortKey: { name: 'list2sk', type: 'S' },
      projection: 'KEYS_ONLY',
      nonKeyAttributes: [],
    },
  ],
} as const;

/** Number of partitions of the `expiry` index (see docs/data-model.md). */
export const EXPIRY_BUCKETS = 64;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const add = (key: { name: string; type: 'S' | 'N' }) => attributes.set(key.name, key.type);
  add(TABLE_SCHEMA.partitionKey);
  add(TABLE_SCHEMA.sortKey);
  for (const index of TABLE_SCHEMA.globalIndexes) {
    add(index.partitionKey);
    add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection:
        index.projection === 'KEYS_ONLY'
          ? { ProjectionType: 'KEYS_ONLY' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_SCHEMA.streamView },
  };
}
