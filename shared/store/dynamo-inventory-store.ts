import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { InvariantViolationError } from '../domain/errors.js';
import type { LocationId, Sku } from '../domain/identifiers.js';
import type { ReplenishmentRequest } from '../domain/replenishment.js';
import { spread } from '../domain/sharding.js';
import type {
  CancelReplenishmentCommand,
  OpenReplenishmentCommand,
  ReceiveReplenishmentCommand,
} from './commands.js';
import { decodeKeyCursor, EXPIRY_INDEX_KEY, encodeKeyCursor, TABLE_KEY } from './cursor.js';
import type {
  InventoryStore,
  OpenReplenishmentOutcome,
  ReplenishmentPage,
  ReplenishmentQuery,
} from './inventory-store.js';
import {
  CLOSED_REPLENISHMENT_PREFIX,
  closedReplenishmentKey,
  idempotencyKey,
  type Key,
  openReplenishmentKey,
  REPLENISHMENT_LISTS,
  replenishmentPartition,
} from './keys.js';

import { shardMap } from './level-shards.js';
import type { WriteOutcome } from './level-store.js';
import { type Item, toReplenishment } from './records.js';
import type { PlannedTransaction } from './requests/plan.js';
import {
  buildCancelReplenishment,
  buildOpenReplenishment,
  buildReplenishmentReceipt,
} from './requests/replenishment.js';
import type { ShardDirectory } from './shard-directory.js';
import { type StoreContext, writeOutcome } from './store-context.js';
import { type RetryPolicy, type TransactResult, transact } from './transact.js';

/** The DynamoDB implementation of InventoryStore: builds requests with the pure builders and sends them. */
export class DynamoInventoryStore implements InventoryStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retry: RetryPolicy;
  private readonly directory: ShardDirectory;

  constructor(private readonly ctx: StoreContext) {
    this.client = ctx.client;
    this.tableName = ctx.tableName;
    this.retry = ctx.retry;
    this.directory = ctx.directory;
  }

  async openReplenishment(cmd: OpenReplenishmentCommand): Promise<OpenReplenishmentOutcome> {
    const outcome = await transact(this.client, buildOpenReplenishment(this.tableName, cmd), this.retry);
    switch (outcome.kind) {
      case 'applied':
        return { kind: 'opened' };
      case 'replenishment-replay':
        return { kind: 'replay' };
      case 'replenishment-exists': {
        const open = toReplenishment(outcome.request);
        return open.requestId === cmd.request.requestId ? { kind: 'replay' } : { kind: 'already-open', open };
      }
      case 'error':
        throw outcome.error;
      default:
        throw unexpected(outcome);
    }
  }

  /**
   * Receives against an open request: the units are spread over the level's active shards starting at shard 0
   * (which holds `incoming`); a stale shard map is refreshed and the write retried.
   */
  async receiveReplenishment(cmd: ReceiveReplenishmentCommand): Promise<WriteOutcome | 'changed'> {
    const { sku, locationId } = cmd.request;
    for (let attempt = 0; ; attempt++) {
      const { active } = await shardMap(this.ctx, sku, locationId);
      const planned = buildReplenishmentReceipt(this.tableName, cmd, spread(cmd.quantity, active, 0));
      const outcome = await transact(this.client, planned, this.retry);
      if (outcome.kind === 'stale-shard-map' && attempt < 3) {
        this.directory.learn(sku, locationId, outcome.map);
        continue;
      }
      if (outcome.kind === 'replenishment-changed') return 'changed';
      return writeOutcome(outcome, planned.movementIds);
    }
  }

  async cancelReplenishment(cmd: CancelReplenishmentCommand): Promise<boolean> {
    const outcome = await transact(this.client, buildCancelReplenishment(this.tableName, cmd), this.retry);
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'replenishment-changed') return false;
    if (outcome.kind === 'error') throw outcome.error;
    throw unexpected(outcome);
  }

  async getOpenReplenishment(sku: Sku, locationId: LocationId): Promise<ReplenishmentRequest | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: openReplenishmentKey(sku, locationId),
        ConsistentRead: true,
      }),
    );
    return Item ? toReplenishment(Item) : null;
  }

  async getReplenishment(
    sku: Sku,
    locationId: LocationId,
    requestId: string,
  ): Promise<ReplenishmentRequest | null> {
    const open = await this.getOpenReplenishment(sku, locationId);
    if (open?.requestId === requestId) return open;
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: closedReplenishmentKey(sku, locationId, requestId),
        ConsistentRead: true,
      }),
    );
    return Item ? toReplenishment(Item) : null;
  }

  /**
   * One level's requests from its partition (the open one by its fixed key; closed ones newest first), or every
   * level's from the `replenishments` index (newest first, eventually consistent).
   */
  async listReplenishments(query: ReplenishmentQuery): Promise<ReplenishmentPage> {
    if (query.sku !== null && query.locationId !== null) {
      if (query.state === 'OPEN') {
        const open = await this.getOpenReplenishment(query.sku, query.locationId);
        return { requests: open ? [open] : [], nextCursor: null };
      }
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': replenishmentPartition(query.sku, query.locationId),
            ':prefix': CLOSED_REPLENISHMENT_PREFIX,
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: query.limit,
          ...(query.cursor ? { ExclusiveStartKey: decodeKeyCursor(query.cursor, TABLE_KEY) } : {}),
        }),
      );
      return {
        requests: (page.Items ?? []).map(toReplenishment),
        nextCursor: page.LastEvaluatedKey ? encodeKeyCursor(page.LastEvaluatedKey) : null,
      };
    }
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'expiry',
        KeyConditionExpression: '#list = :list',
        ExpressionAttributeNames: { '#list': 'expiryBucket' },
        ExpressionAttributeValues: { ':list': REPLENISHMENT_LISTS[query.state] },
        ScanIndexForward: false,
        Limit: query.limit,
        ...(query.cursor ? { ExclusiveStartKey: decodeKeyCursor(query.cursor, EXPIRY_INDEX_KEY) } : {}),
      }),
    );
    // The index keeps only what holds need: read the requests it found (strongly consistent, in its order).
    const found = await this.batchGet(
      (page.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
    );
    return {
      requests: found.filter((i) => i.kind === 'Replenishment').map(toReplenishment),
      nextCursor: page.LastEvaluatedKey ? encodeKeyCursor(page.LastEvaluatedKey) : null,
    };
  }

  /** Reads items by key, in the order of the keys; keys of missing items are dropped. */
  private async batchGet(keys: readonly Key[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    let pending: Key[] = [...keys];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(400, 10 * 2 ** attempt)));
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: pending.slice(0, 100), ConsistentRead: true } },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) found.set(`${item.pk}|${item.sk}`, item);
      const unprocessed = (UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Key[];
      pending = [...unprocessed, ...pending.slice(100)];
    }
    return keys.flatMap((k): Item[] => {
      const item = found.get(`${k.pk}|${k.sk}`);
      return item ? [item] : [];
    });
  }

  async getIdempotencyRecord(hashedKey: string): Promise<Item | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: idempotencyKey(hashedKey), ConsistentRead: true }),
    );
    return Item ?? null;
  }

  /** Sends a transaction whose refusal is always final: a typed error is thrown as is. */
  private async send(planned: PlannedTransaction): Promise<TransactResult> {
    const outcome = await transact(this.client, planned, this.retry);
    if (outcome.kind === 'error') throw outcome.error;
    return outcome;
  }
}

function unexpected(outcome: TransactResult): InvariantViolationError {
  return new InvariantViolationError(`unexpected transaction outcome ${outcome.kind}`);
}
