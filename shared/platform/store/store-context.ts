import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrencyLimitError, InvariantViolationError } from '../../kernel/errors.js';
import type { WriteOutcome } from '../../stock/store/level-store.js';
import type { PlannedTransaction } from '../../stock/store/requests/plan.js';
import { ShardDirectory } from '../../stock/store/shard-directory.js';
import type { Item } from './records.js';
import { type SplitNotices, splitNotices } from './split-notices.js';
import { DEFAULT_RETRY, type RetryPolicy, type TransactResult, transact } from './transact.js';

/**
 * What every DynamoDB store of the table shares: the client, the table, the retry policy, the shard directory and
 * the splits announced to this process.
 */
export interface StoreContext {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly retry: RetryPolicy;
  readonly directory: ShardDirectory;
  readonly notices: SplitNotices;
}

export interface DynamoStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly retry?: RetryPolicy;
  readonly directory?: ShardDirectory;
  readonly notices?: SplitNotices;
}

export function storeContext(options: DynamoStoreOptions): StoreContext {
  return {
    client: options.client,
    tableName: options.tableName,
    retry: options.retry ?? DEFAULT_RETRY,
    directory: options.directory ?? new ShardDirectory(),
    notices: options.notices ?? splitNotices,
  };
}

/** Sends a transaction whose refusal is always final: a typed error is thrown as is. */
export async function sendFinal(ctx: StoreContext, planned: PlannedTransaction): Promise<TransactResult> {
  const outcome = await transact(ctx.client, planned, ctx.retry);
  if (outcome.kind === 'error') throw outcome.error;
  return outcome;
}

export function unexpected(outcome: TransactResult): InvariantViolationError {
  return new InvariantViolationError(`unexpected transaction outcome ${outcome.kind}`);
}

/** Reads one item (the request built by a builder). */
export async function getItem(ctx: StoreContext, input: GetCommandInput): Promise<Item | null> {
  const { Item: found } = await ctx.client.send(new GetCommand(input));
  return found ?? null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every item a BatchGetItem on the store's table finds (the request built by a builder): the keys DynamoDB
 * leaves unprocessed are asked again, after a growing pause, until none is left.
 */
export async function batchGetAll(ctx: StoreContext, input: BatchGetCommandInput): Promise<Item[]> {
  const request = input.RequestItems?.[ctx.tableName];
  if (!request) return [];
  const found: Item[] = [];
  let keys = request.Keys ?? [];
  for (let round = 0; keys.length > 0; round++) {
    if (round > 10) throw new ConcurrencyLimitError(1);
    if (round > 0) await sleep(Math.min(400, 20 * 2 ** round));
    const reply = await ctx.client.send(
      new BatchGetCommand({ RequestItems: { [ctx.tableName]: { ...request, Keys: keys } } }),
    );
    found.push(...(reply.Responses?.[ctx.tableName] ?? []));
    keys = reply.UnprocessedKeys?.[ctx.tableName]?.Keys ?? [];
  }
  return found;
}

/** Every item a query finds, page after page. */
export async function queryAll(ctx: StoreContext, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await ctx.client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The outcome of a keyed stock change: applied now, or the replay of the first one with its movements. */
export function writeOutcome(outcome: TransactResult, movementIds: readonly string[]): WriteOutcome {
  if (outcome.kind === 'applied') return { replayed: false, movementIds };
  if (outcome.kind === 'idempotent-replay') {
    const result = outcome.record.result as { movementIds?: unknown } | undefined;
    return {
      replayed: true,
      movementIds: Array.isArray(result?.movementIds) ? result.movementIds.map(String) : [],
    };
  }
  if (outcome.kind === 'error') throw outcome.error;
  throw unexpected(outcome);
}
