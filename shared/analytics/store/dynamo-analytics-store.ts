import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { buildBatchGet, buildGet } from '../../platform/store/requests/reads.js';
import { getItem, queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { Aggregation, Gauges, Scope } from '../domain/aggregation.js';
import type { StoredHour } from '../domain/series.js';
import type { AnalyticsStore } from './analytics-store.js';
import {
  ANALYTICS_CURSOR_KEY,
  buildApply,
  buildHourBeforeQuery,
  buildHoursQuery,
  HOUR_PREFIX,
  toGauges,
  toStoredHour,
  totalKey,
} from './requests/analytics.js';

/** The DynamoDB implementation of AnalyticsStore. */
export class DynamoAnalyticsStore implements AnalyticsStore {
  constructor(private readonly ctx: StoreContext) {}

  async position(): Promise<number> {
    const item = await getItem(this.ctx, buildGet(this.ctx.tableName, ANALYTICS_CURSOR_KEY));
    return typeof item?.position === 'number' ? item.position : 0;
  }

  async totals(scopes: readonly Scope[]): Promise<Map<Scope, Gauges>> {
    const totals = new Map<Scope, Gauges>();
    for (let i = 0; i < scopes.length; i += 100) {
      let keys = scopes.slice(i, i + 100).map(totalKey);
      while (keys.length > 0) {
        const reply = await this.ctx.client.send(
          new BatchGetCommand(buildBatchGet(this.ctx.tableName, keys)),
        );
        for (const item of reply.Responses?.[this.ctx.tableName] ?? []) {
          const scope = String(item.pk).slice('ANALYTICS#'.length) as Scope;
          totals.set(scope, toGauges(item));
        }
        keys = (reply.UnprocessedKeys?.[this.ctx.tableName]?.Keys ?? []) as typeof keys;
      }
    }
    return totals;
  }

  async apply(from: number, to: number, aggregation: Aggregation, at: string): Promise<boolean> {
    try {
      await this.ctx.client.send(
        new TransactWriteCommand(buildApply(this.ctx.tableName, from, to, aggregation, at)),
      );
      return true;
    } catch (error) {
      // Another run moved the cursor (ConditionalCheckFailed) or is writing the same items (TransactionConflict):
      // either way this step is not applied, and the caller reads the cursor again.
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async hours(scope: Scope, fromHour: string, toHour: string): Promise<StoredHour[]> {
    const items = await queryAll(this.ctx, buildHoursQuery(this.ctx.tableName, scope, fromHour, toHour));
    return items.map(toStoredHour);
  }

  async hourBefore(scope: Scope, hour: string): Promise<StoredHour | null> {
    const { Items = [] } = await this.ctx.client.send(
      new QueryCommand(buildHourBeforeQuery(this.ctx.tableName, scope, hour)),
    );
    const before = Items.find((item) => String(item.sk) < `${HOUR_PREFIX}${hour}`);
    return before ? toStoredHour(before) : null;
  }
}
