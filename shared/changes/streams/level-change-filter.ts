/**
 * The stream records the change feed's writer reads: writes of level shards (every stock change writes one).
 * The same pattern filters the Lambda event source mapping in the cloud and the local stream source; the writer
 * decodes each record again and ignores one that links no new movement.
 */
export const LEVEL_CHANGE_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { kind: { S: ['Level'] } } },
} as const;
