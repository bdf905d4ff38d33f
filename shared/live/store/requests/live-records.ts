import type {
  DeleteCommandInput,
  QueryCommandInput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { PrincipalId } from '../../../kernel/identifiers.js';
import type { Key } from '../../../platform/store/keys.js';

/**
 * The live feed's items (docs/data-model.md, "Live connections"): a connection, the caller's connection slots,
 * and one item per subscription in the topic's partition (what the fan-out queries). Each carries `expiresAt`
 * (epoch ms: API Gateway closes a connection after two hours) and `ttl` (epoch s, an hour later) so that what a
 * missed `$disconnect` leaves behind is reclaimed and purged. Pure request builders, unit-tested without a network.
 */
export const connectionKey = (connectionId: string): Key => ({
  pk: `LIVE#CONNECTION#${connectionId}`,
  sk: 'CONNECTION',
});
export const callerSlotKey = (principal: PrincipalId, slot: number): Key => ({
  pk: `LIVE#CALLER#${principal}`,
  sk: `SLOT#${slot}`,
});
export const topicPartition = (topic: string): string => `LIVE#TOPIC#${topic}`;
export const subscriptionKey = (topic: string, connectionId: string): Key => ({
  pk: topicPartition(topic),
  sk: `CONNECTION#${connectionId}`,
});

/** How long after a connection's end its items are purged by TTL (they are refused or reclaimed before). */
export const PURGE_AFTER_SECONDS = 60 * 60;
const ttlOf = (expiresAt: number) => Math.ceil(expiresAt / 1000) + PURGE_AFTER_SECONDS;

export interface NewConnection {
  readonly connectionId: string;
  readonly principal: PrincipalId;
  readonly connectedAt: number;
  /** When API Gateway closes it at the latest (epoch ms). */
  readonly expiresAt: number;
}

/**
 * Takes connection slot `slot` of the caller (free, or held by a connection past its end) and records the
 * connection, in one transaction: the caller's connection limit is the number of slots, and no count is read
 * before it is written. Item 0 refused: the slot is taken; item 1 refused: the connection id exists already.
 */
export function buildOpenConnection(
  tableName: string,
  connection: NewConnection,
  slot: number,
): TransactWriteCommandInput {
  const { connectionId, principal, connectedAt, expiresAt } = connection;
  const ttl = ttlOf(expiresAt);
  return {
    TransactItems: [
      {
        Put: {
          TableName: tableName,
          Item: { ...callerSlotKey(principal, slot), kind: 'LiveSlot', connectionId, expiresAt, ttl },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': connectedAt },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            ...connectionKey(connectionId),
            kind: 'LiveConnection',
            connectionId,
            principal,
            slot,
            connectedAt,
            expiresAt,
            ttl,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
  };
}

/** Deletes a connection's record, answering what it held (its slot and topics) to clean up after it. */
export function buildDeleteConnection(tableName: string, connectionId: string): DeleteCommandInput {
  return { TableName: tableName, Key: connectionKey(connectionId), ReturnValues: 'ALL_OLD' };
}

/** Frees a caller's slot, unless another connection has taken it since. */
export function buildFreeSlot(
  tableName: string,
  principal: PrincipalId,
  slot: number,
  connectionId: string,
): DeleteCommandInput {
  return {
    TableName: tableName,
    Key: callerSlotKey(principal, slot),
    ConditionExpression: 'connectionId = :connectionId',
    ExpressionAttributeValues: { ':connectionId': connectionId },
  };
}

/**
 * Adds a topic to a live connection and puts its subscription item, in one transaction. The connection's
 * update is refused when it is gone (not-connected), already follows the topic, or follows `max` topics; its
 * ALL_OLD image tells which.
 */
export function buildSubscribe(
  tableName: string,
  connectionId: string,
  topic: string,
  max: number,
  expiresAt: number,
): TransactWriteCommandInput {
  return {
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: connectionKey(connectionId),
          UpdateExpression: 'ADD topics :topic',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(topics) OR (size(topics) < :max AND NOT contains(topics, :key)))',
          ExpressionAttributeValues: { ':topic': new Set([topic]), ':key': topic, ':max': max },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            ...subscriptionKey(topic, connectionId),
            kind: 'LiveSubscription',
            connectionId,
            topic,
            expiresAt,
            ttl: ttlOf(expiresAt),
          },
        },
      },
    ],
  };
}

/** Removes a topic from a connection (if it is still there: the update is unconditional on the topic). */
export function buildRemoveTopic(tableName: string, connectionId: string, topic: string): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: connectionKey(connectionId),
    UpdateExpression: 'DELETE topics :topic',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':topic': new Set([topic]) },
  };
}

export function buildDeleteSubscription(
  tableName: string,
  topic: string,
  connectionId: string,
): DeleteCommandInput {
  return { TableName: tableName, Key: subscriptionKey(topic, connectionId) };
}

/** The subscriptions of a topic (strongly consistent: a subscription made just before a change is seen). */
export function buildSubscribersQuery(tableName: string, topic: string): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': topicPartition(topic) },
    ProjectionExpression: 'connectionId',
    ConsistentRead: true,
  };
}
