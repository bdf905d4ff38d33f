import type { BatchGetCommandInput, GetCommandInput, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Key } from '../keys.js';

/** A strongly consistent read of one item. */
export function buildGet(tableName: string, key: Key): GetCommandInput {
  return { TableName: tableName, Key: key, ConsistentRead: true };
}

/** A strongly consistent query of a whole partition, or of its items whose sort key starts with `prefix`. */
export function buildPartitionQuery(tableName: string, pk: string, prefix?: string): QueryCommandInput {
  return prefix === undefined
    ? {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }
    : {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
      };
}

/** Reads up to 100 items by key (strongly consistent). */
export function buildBatchGet(tableName: string, keys: readonly Key[]): BatchGetCommandInput {
  return { RequestItems: { [tableName]: { Keys: keys.slice(0, 100), ConsistentRead: true } } };
}
