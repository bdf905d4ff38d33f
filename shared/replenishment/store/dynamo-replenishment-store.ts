import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type {
  CancelReplenishmentCommand,
  OpenReplenishmentCommand,
  ReceiveReplenishmentCommand,
} from '../../platform/store/commands.js';
import {
  decodeKeyCursor,
  EXPIRY_INDEX_KEY,
  encodeKeyCursor,
  TABLE_KEY,
} from '../../platform/store/cursor.js';
import type { Key } from '../../platform/store/keys.js';
import { type Item, toReplenishment } from '../../platform/store/records.js';
import { buildBatchGet } from '../../platform/store/requests/reads.js';
import { getItem, type StoreContext, unexpected, writeOutcome } from '../../platform/store/store-context.js';
import { transact } from '../../platform/store/transact.js';
import { spread } from '../../stock/domain/sharding.js';
import { shardMap } from '../../stock/store/level-shards.js';
import type { WriteOutcome } from '../../stock/store/level-store.js';
import { PLAN_AGAIN, retryOverShards } from '../../stock/store/shard-retry.js';
import type { ReplenishmentRequest } from '../domain/replenishment.js';
import type {
  OpenReplenishmentOutcome,
  ReplenishmentPage,
  ReplenishmentQuery,
  ReplenishmentStore,
} from './replenishment-store.js';
import {
  buildCancelReplenishment,
  buildOpenReplenishment,
  buildReplenishmentReceipt,
} from './requests/replenishment.js';
import {
  buildClosedReplenishmentGet,
  buildClosedReplenishmentsQuery,
  buildOpenReplenishmentGet,
  buildReplenishmentListQuery,
} from './requests/replenishment-reads.js';

/** The DynamoDB implementation of ReplenishmentStore. */
export class DynamoReplenishmentStore implements ReplenishmentStore {
  constructor(private readonly ctx: StoreContext) {}

  async openReplenishment(cmd: OpenReplenishmentCommand): Promise<OpenReplenishmentOutcome> {
    const outcome = await transact(
      this.ctx.client,
      buildOpenReplenishment(this.ctx.tableName, cmd),
      this.ctx.retry,
    );
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
  receiveReplenishment(cmd: ReceiveReplenishmentCommand): Promise<WriteOutcome | 'changed'> {
    const { sku, locationId } = cmd.request;
    return retryOverShards<WriteOutcome | 'changed'>(4, async () => {
      const { active } = await shardMap(this.ctx, sku, locationId);
      const planned = buildReplenishmentReceipt(this.ctx.tableName, cmd, spread(cmd.quantity, active, 0));
      const outcome = await transact(this.ctx.client, planned, this.ctx.retry);
      if (outcome.kind === 'stale-shard-map') {
        this.ctx.directory.learn(sku, locationId, outcome.map);
        return PLAN_AGAIN;
      }
      if (outcome.kind === 'replenishment-changed') return { settled: 'changed' };
      return { settled: writeOutcome(outcome, planned.movementIds) };
    });
  }

  async cancelReplenishment(cmd: CancelReplenishmentCommand): Promise<boolean> {
    const outcome = await transact(
      this.ctx.client,
      buildCancelReplenishment(this.ctx.tableName, cmd),
      this.ctx.retry,
    );
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'replenishment-changed') return false;
    if (outcome.kind === 'error') throw outcome.error;
    throw unexpected(outcome);
  }

  async getOpenReplenishment(sku: Sku, locationId: LocationId): Promise<ReplenishmentRequest | null> {
    const item = await getItem(this.ctx, buildOpenReplenishmentGet(this.ctx.tableName, sku, locationId));
    return item ? toReplenishment(item) : null;
  }

  async getReplenishment(
    sku: Sku,
    locationId: LocationId,
    requestId: string,
  ): Promise<ReplenishmentRequest | null> {
    const open = await this.getOpenReplenishment(sku, locationId);
    if (open?.requestId === requestId) return open;
    const item = await getItem(
      this.ctx,
      buildClosedReplenishmentGet(this.ctx.tableName, sku, locationId, requestId),
    );
    return item ? toReplenishment(item) : null;
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
      const startKey = query.cursor ? decodeKeyCursor(query.cursor, TABLE_KEY) : undefined;
      const page = await this.ctx.client.send(
        new QueryCommand(
          buildClosedReplenishmentsQuery(
            this.ctx.tableName,
            query.sku,
            query.locationId,
            query.limit,
            startKey,
          ),
        ),
      );
      return {
        requests: (page.Items ?? []).map(toReplenishment),
        nextCursor: page.LastEvaluatedKey ? encodeKeyCursor(page.LastEvaluatedKey) : null,
      };
    }
    const startKey = query.cursor ? decodeKeyCursor(query.cursor, EXPIRY_INDEX_KEY) : undefined;
    const page = await this.ctx.client.send(
      new QueryCommand(buildReplenishmentListQuery(this.ctx.tableName, query.state, query.limit, startKey)),
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
      const { Responses, UnprocessedKeys } = await this.ctx.client.send(
        new BatchGetCommand(buildBatchGet(this.ctx.tableName, pending)),
      );
      for (const item of Responses?.[this.ctx.tableName] ?? []) found.set(`${item.pk}|${item.sk}`, item);
      const unprocessed = (UnprocessedKeys?.[this.ctx.tableName]?.Keys ?? []) as Key[];
      pending = [...unprocessed, ...pending.slice(100)];
    }
    return keys.flatMap((k): Item[] => {
      const item = found.get(`${k.pk}|${k.sk}`);
      return item ? [item] : [];
    });
  }
}
