import type { QueryCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Key } from '../../../platform/store/keys.js';
import type { Item } from '../../../platform/store/records.js';
import {
  type Aggregation,
  type Gauges,
  HOUR_COUNTS,
  type HourCounts,
  NO_COUNTS,
  NO_GAUGES,
  type Scope,
} from '../../domain/aggregation.js';
import type { StoredHour } from '../../domain/series.js';

/**
 * The aggregates' items (docs/data-model.md, "Analytics"):
 * - the cursor `ANALYTICS#CURSOR / CURSOR`: `position`, the last feed position aggregated;
 * - each scope's running totals `ANALYTICS#{scope} / TOTAL`: `onHand, available, held`;
 * - each scope's hours `ANALYTICS#{scope} / HOUR#{yyyy-mm-ddThh}`: the hour's counts and its gauges.
 */
export const ANALYTICS_CURSOR_KEY: Key = { pk: 'ANALYTICS#CURSOR', sk: 'CURSOR' };
export const scopePartition = (scope: Scope): string => `ANALYTICS#${scope}`;
export const totalKey = (scope: Scope): Key => ({ pk: scopePartition(scope), sk: 'TOTAL' });
export const HOUR_PREFIX = 'HOUR#';
export const hourKey = (scope: Scope, hour: string): Key => ({
  pk: scopePartition(scope),
  sk: `${HOUR_PREFIX}${hour}`,
});

/**
 * One aggregation step as one transaction: the cursor moves from `from` to `to` only if it is still at `from`
 * (so a step is applied once, whatever the deliveries that triggered it), each scope's total adds its delta,
 * each hour adds its counts and sets its gauges.
 */
export function buildApply(
  tableName: string,
  from: number,
  to: number,
  aggregation: Aggregation,
  at: string,
): TransactWriteCommandInput {
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Update: {
        TableName: tableName,
        Key: ANALYTICS_CURSOR_KEY,
        UpdateExpression: 'SET #position = :to, #kind = :kind, updatedAt = :at',
        // stillAt: no other run aggregated these positions first.
        ConditionExpression: from === 0 ? 'attribute_not_exists(pk)' : '#position = :from',
        ExpressionAttributeNames: { '#position': 'position', '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':to': to,
          ':kind': 'AnalyticsCursor',
          ':at': at,
          ...(from === 0 ? {} : { ':from': from }),
        },
      },
    },
  ];
  for (const [scope, delta] of aggregation.totals) {
    items.push({
      Update: {
        TableName: tableName,
        Key: totalKey(scope),
        UpdateExpression: 'ADD onHand :onHand, available :available, held :held SET #kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ...gaugeValues(delta), ':kind': 'AnalyticsTotal' },
      },
    });
  }
  for (const hour of aggregation.hours) {
    const adds = HOUR_COUNTS.map((k) => `${k} :${k}`).join(', ');
    items.push({
      Update: {
        TableName: tableName,
        Key: hourKey(hour.scope, hour.hour),
        UpdateExpression: `ADD ${adds} SET #kind = :kind, gauges = :gauges`,
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ...Object.fromEntries(HOUR_COUNTS.map((k) => [`:${k}`, hour.counts[k]])),
          ':gauges': { ...hour.gauges },
          ':kind': 'AnalyticsHour',
        },
      },
    });
  }
  return { TransactItems: items };
}

const gaugeValues = (g: Gauges) => ({ ':onHand': g.onHand, ':available': g.available, ':held': g.held });

export function buildHoursQuery(
  tableName: string,
  scope: Scope,
  fromHour: string,
  toHour: string,
): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': scopePartition(scope),
      ':from': `${HOUR_PREFIX}${fromHour}`,
      ':to': `${HOUR_PREFIX}${toHour}`,
    },
  };
}

export function buildHourBeforeQuery(tableName: string, scope: Scope, hour: string): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :before',
    ExpressionAttributeValues: {
      ':pk': scopePartition(scope),
      ':first': HOUR_PREFIX,
      ':before': `${HOUR_PREFIX}${hour}`,
    },
    ScanIndexForward: false,
    Limit: 2,
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function toGauges(item: Item | null | undefined): Gauges {
  if (!item) return NO_GAUGES;
  return { onHand: num(item.onHand), available: num(item.available), held: num(item.held) };
}

export function toStoredHour(item: Item): StoredHour {
  const counts = Object.fromEntries(HOUR_COUNTS.map((k) => [k, num(item[k])])) as HourCounts;
  return {
    hour: String(item.sk).slice(HOUR_PREFIX.length),
    counts: { ...NO_COUNTS, ...counts },
    gauges: toGauges(item.gauges as Item | undefined),
  };
}
