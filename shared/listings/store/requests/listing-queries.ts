import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { HIGH, type ListIndex } from '../../../platform/store/listing-keys.js';
import type { AscendingFrom, DescendingFrom } from '../listing-store.js';

/**
 * Where an ascending page starts past `after`: the lowest string above every sort key that begins with `after`
 * followed by `#` (a catalogue row `{sku}#{locationId}`) or equal to it (a plain `{sku}` row). `#` sorts below
 * every identifier character, so the SKUs that merely extend `after` ("SKU-1" after "SKU") still follow.
 */
export const positionAfter = (after: string): string => `${after}#${HIGH}`;

/**
 * A page of one listing partition in ascending order: `BETWEEN` the prefix (or the position after the cursor)
 * and the prefix's end. Null when the cursor is already past the prefix (nothing to read, and DynamoDB refuses
 * a `BETWEEN` whose bounds are reversed).
 */
export function buildAscendingQuery(
  tableName: string,
  index: ListIndex,
  partition: string,
  from: AscendingFrom,
): QueryCommandInput | null {
  const low = from.after === null ? from.prefix : positionAfter(from.after);
  const high = `${from.prefix}${HIGH}`;
  const start = low > from.prefix ? low : from.prefix;
  if (start > high) return null;
  // A key value may not be empty: from the very start, only the upper bound applies.
  return {
    TableName: tableName,
    IndexName: index.index,
    KeyConditionExpression:
      start === '' ? '#p = :p AND #s <= :high' : '#p = :p AND #s BETWEEN :low AND :high',
    ExpressionAttributeNames: { '#p': index.pk, '#s': index.sk },
    ExpressionAttributeValues:
      start === '' ? { ':p': partition, ':high': high } : { ':p': partition, ':low': start, ':high': high },
    Limit: from.limit,
  };
}

/** A page of one listing partition, newest first, strictly before the cursor's position. */
export function buildDescendingQuery(
  tableName: string,
  index: ListIndex,
  partition: string,
  from: DescendingFrom,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: index.index,
    KeyConditionExpression: from.before === null ? '#p = :p' : '#p = :p AND #s < :before',
    ExpressionAttributeNames: from.before === null ? { '#p': index.pk } : { '#p': index.pk, '#s': index.sk },
    ExpressionAttributeValues:
      from.before === null ? { ':p': partition } : { ':p': partition, ':before': from.before },
    ScanIndexForward: false,
    Limit: from.limit,
  };
}
