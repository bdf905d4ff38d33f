/**
 * The stream records the change feed's writer reads: writes of level shards (every stock change writes one).
 * The same pattern filters the Lambda event source mapping in the cloud and the local stream source; the writer
 * decodes each record again and ignores one that links no new movement.
 */
export const LEVEL_CHANGE_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { kind: { S: ['Level'] } } },
} as const;

/**
 * The stream records that wake the aggregation: each move of the change feed's head (one per append). What
 * they say is not used: a run reads the feed from the aggregates' own position.
 */
export const FEED_HEAD_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { NewImage: { kind: { S: ['ChangeFeedHead'] } } },
} as const;
