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

/** What the `replenishments` index keeps of a request: enough to list requests without reading the table. */
export const REPLENISHMENT_INDEX_PROJECTION = [
  'kind',
  'sku',
  'locationId',
  'quantity',
  'receivedQuantity',
  'status',
  'trigger',
  'createdAt',
  'updatedAt',
  'closedAt',
  'closedBy',
  'reason',
] as const;

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
      nonKeyAttributes: HOLD_INDEX_PROJECTION,
    },
    {
      indexName: 'levelHolds',
      partitionKey: { name: 'holdLevel', type: 'S' },
      sortKey: { name: 'expiresAt', type: 'N' },
      nonKeyAttributes: HOLD_INDEX_PROJECTION,
    },
    {
      indexName: 'replenishments',
      partitionKey: { name: 'replenishmentState', type: 'S' },
      sortKey: { name: 'requestId', type: 'S' },
      nonKeyAttributes: REPLENISHMENT_INDEX_PROJECTION,
    },
  ],
} as const;

/** Number of partitions of the `expiry` index (see docs/data-model.md). */
export const EXPIRY_BUCKETS = 8;

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
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_SCHEMA.streamView },
  };
}
