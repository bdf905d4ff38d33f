import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PrincipalId } from '../../kernel/identifiers.js';
import { queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { ClosedConnection, LiveStore, OpenOutcome, SubscribeOutcome } from './live-store.js';
import {
  buildDeleteConnection,
  buildDeleteSubscription,
  buildFreeSlot,
  buildOpenConnection,
  buildRemoveTopic,
  buildSubscribe,
  buildSubscribersQuery,
  type NewConnection,
  subscriptionKey,
} from './requests/live-records.js';

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** The reasons of a cancelled transaction, or null when the error is something else. */
function cancellation(error: unknown) {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as Error)?.name !== 'TransactionCanceledException'
  )
    return null;
  return (error as TransactionCanceledException).CancellationReasons ?? [];
}

export class DynamoLiveStore implements LiveStore {
  constructor(private readonly ctx: StoreContext) {}

  async openConnection(connection: NewConnection, maxPerCaller: number): Promise<OpenOutcome> {
    for (let slot = 0; slot < maxPerCaller; slot++) {
      try {
        await this.ctx.client.send(
          new TransactWriteCommand(buildOpenConnection(this.ctx.tableName, connection, slot)),
        );
        return 'opened';
      } catch (error) {
        const reasons = cancellation(error);
        // Slot taken: try the next one. Anything else (the id exists, a conflict, a fault) is not a limit.
        if (reasons?.[0]?.Code === 'ConditionalCheckFailed' && reasons[1]?.Code !== 'ConditionalCheckFailed')
          continue;
        throw error;
      }
    }
    return 'too-many-connections';
  }

  async closeConnection(connectionId: string): Promise<ClosedConnection | null> {
    const { Attributes: old } = await this.ctx.client.send(
      new DeleteCommand(buildDeleteConnection(this.ctx.tableName, connectionId)),
    );
    if (!old) return null;
    const principal = old.principal as PrincipalId;
    const topics = [...((old.topics as Set<string> | undefined) ?? [])];
    try {
      await this.ctx.client.send(
        new DeleteCommand(buildFreeSlot(this.ctx.tableName, principal, Number(old.slot), connectionId)),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // another connection holds the slot now
    }
    for (let i = 0; i < topics.length; i += 25) {
      const requests = topics
        .slice(i, i + 25)
        .map((topic) => ({ DeleteRequest: { Key: subscriptionKey(topic, connectionId) } }));
      let unprocessed: Record<string, unknown[]> | undefined = { [this.ctx.tableName]: requests };
      for (let attempt = 0; unprocessed && Object.keys(unprocessed).length > 0 && attempt < 5; attempt++) {
        const answer = await this.ctx.client.send(
          new BatchWriteCommand({ RequestItems: unprocessed as never }),
        );
        unprocessed = answer.UnprocessedItems as Record<string, unknown[]> | undefined;
      }
    }
    return { principal, topics };
  }

  async subscribe(
    connectionId: string,
    topic: string,
    maxPerConnection: number,
    expiresAt: number,
  ): Promise<SubscribeOutcome> {
    try {
      await this.ctx.client.send(
        new TransactWriteCommand(
          buildSubscribe(this.ctx.tableName, connectionId, topic, maxPerConnection, expiresAt),
        ),
      );
      return 'subscribed';
    } catch (error) {
      const reasons = cancellation(error);
      const refused = reasons?.[0];
      if (refused?.Code !== 'ConditionalCheckFailed') throw error;
      const old = refused.Item;
      if (!old) return 'not-connected';
      const topics = old.topics?.SS ?? [];
      return topics.includes(topic) ? 'already-subscribed' : 'too-many-subscriptions';
    }
  }

  async unsubscribe(connectionId: string, topic: string): Promise<void> {
    try {
      await this.ctx.client.send(
        new UpdateCommand(buildRemoveTopic(this.ctx.tableName, connectionId, topic)),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // the connection is gone; its subscription goes below
    }
    await this.ctx.client.send(
      new DeleteCommand(buildDeleteSubscription(this.ctx.tableName, topic, connectionId)),
    );
  }

  async subscribersOf(topic: string): Promise<string[]> {
    const items = await queryAll(this.ctx, buildSubscribersQuery(this.ctx.tableName, topic));
    return items.map((item) => String(item.connectionId));
  }
}
