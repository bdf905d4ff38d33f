import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyLimitError, InvariantViolationError } from '../../kernel/errors.js';
import type { PlannedTransaction } from '../../stock/store/requests/plan.js';
import { recordContention } from './contention.js';
import { type Explanation, explainCancellation } from './failure-mapping.js';
import { currentDeadline } from './request-deadline.js';

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 10, maxDelayMs: 400 };

/** A retry is made only if this much of the request's time is left after its pause (an attempt's own time). */
export const ATTEMPT_TIME_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TransactResult =
  | { readonly kind: 'applied' }
  | Exclude<Explanation, { kind: 'retry' | 'unexplained' }>;

/**
 * Sends one planned transaction. A cancellation is explained item by item; contention (TransactionConflict,
 * throttling) is retried with full jitter up to a bound, and within an API request only while the pause and
 * one more attempt fit in the request's time; then it is reported as ConcurrencyLimitError (a 503 with
 * Retry-After: a cancelled transaction applied nothing). Each attempt carries a ClientRequestToken, so the SDK's
 * own retry of an attempt whose answer was lost never applies twice.
 */
export async function transact(
  client: DynamoDBDocumentClient,
  planned: PlannedTransaction,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<TransactResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.send(
        new TransactWriteCommand({ TransactItems: planned.items, ClientRequestToken: randomUUID() }),
      );
      return { kind: 'applied' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const explanation = explainCancellation(planned.roles, error.CancellationReasons ?? []);
      if (explanation.kind === 'unexplained') {
        throw new InvariantViolationError(
          `transaction cancelled for no known reason: ${explanation.codes.join(', ')}`,
        );
      }
      if (explanation.kind !== 'retry') return explanation;
      recordContention(client, tableOf(planned), contendedLevels(planned));
      if (attempt >= retry.attempts) throw new ConcurrencyLimitError(1);
      const pause = Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
      const left = currentDeadline()?.remainingMs() ?? Number.POSITIVE_INFINITY;
      if (pause + ATTEMPT_TIME_MS > left) throw new ConcurrencyLimitError(1);
      await sleep(pause);
    }
  }
}

function tableOf(planned: PlannedTransaction): string {
  const first = planned.items[0] as Record<string, { TableName?: string } | undefined> | undefined;
  const action = first ? Object.values(first)[0] : undefined;
  return action?.TableName ?? '';
}

function contendedLevels(planned: PlannedTransaction): { sku: string; locationId: string }[] {
  const levels = new Map<string, { sku: string; locationId: string }>();
  for (const role of planned.roles) {
    if (role.role === 'level') levels.set(`${role.sku}#${role.locationId}`, role);
  }
  return [...levels.values()].map(({ sku, locationId }) => ({ sku, locationId }));
}
