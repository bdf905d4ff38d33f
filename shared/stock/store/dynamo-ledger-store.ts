import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../kernel/errors.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import {
  decodeCursor,
  decodeKeyCursor,
  encodeCursor,
  encodeKeyCursor,
  type ShardPositions,
  TABLE_KEY,
} from '../../platform/store/cursor.js';
import { type Item, toMovement } from '../../platform/store/records.js';
import { batchGetAll, getItem, queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { Movement } from '../domain/movement.js';
import type {
  LedgerStore,
  LevelShardRef,
  LevelShardScanPage,
  MovementPage,
  MovementRef,
  PageRequest,
} from './ledger-store.js';
import { readLevelShards } from './level-shards.js';
import { buildShardLedgerTail } from './requests/checkpoints.js';
import {
  buildLevelShardScan,
  buildMovementBatchGet,
  buildMovementGet,
  buildShardLedgerPage,
  buildShardLedgerQuery,
} from './requests/ledger.js';

/** The DynamoDB implementation of LedgerStore. */
export class DynamoLedgerStore implements LedgerStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Pages through a level's ledger, merging its shards' ledgers in movement-id (time) order. */
  async listMovements(sku: Sku, locationId: LocationId, page: PageRequest): Promise<MovementPage> {
    const positions = page.cursor ? decodeCursor(page.cursor) : await this.startPositions(sku, locationId);
    const forward = page.order === 'asc';
    const fetched: Array<{ shard: string; item: Item }> = [];
    const hasMore = new Set<string>();
    for (const [shard, after] of Object.entries(positions)) {
      const { Items = [], LastEvaluatedKey } = await this.ctx.client.send(
        new QueryCommand(
          buildShardLedgerPage(this.ctx.tableName, sku, locationId, Number(shard), {
            forward,
            limit: page.limit,
            after,
          }),
        ),
      );
      if (LastEvaluatedKey) hasMore.add(shard);
      for (const item of Items) fetched.push({ shard, item });
    }
    const order = forward ? 1 : -1;
    fetched.sort((a, b) => order * String(a.item.sk).localeCompare(String(b.item.sk)));
    const taken = fetched.slice(0, page.limit);
    const next: ShardPositions = {};
    for (const [shard, after] of Object.entries(positions)) {
      const leftOver = fetched.slice(page.limit).some((x) => x.shard === shard);
      if (!leftOver && !hasMore.has(shard)) continue;
      const lastTaken = taken.filter((x) => x.shard === shard).at(-1);
      next[shard] = lastTaken ? String(lastTaken.item.sk) : after;
    }
    return {
      movements: taken.map((x) => toMovement(x.item)),
      nextCursor: Object.keys(next).length ? encodeCursor(next) : null,
    };
  }

  async allMovements(sku: Sku, locationId: LocationId): Promise<Movement[]> {
    const shards = await readLevelShards(this.ctx, sku, locationId);
    const all: Movement[] = [];
    for (const shard of shards) all.push(...(await this.shardMovements(sku, locationId, shard.shard)));
    return all;
  }

  async shardMovements(sku: Sku, locationId: LocationId, shard: number): Promise<Movement[]> {
    const items = await queryAll(this.ctx, buildShardLedgerQuery(this.ctx.tableName, sku, locationId, shard));
    return items.map(toMovement);
  }

  async shardMovementsFrom(
    sku: Sku,
    locationId: LocationId,
    shard: number,
    boundary: string,
  ): Promise<Movement[]> {
    const items = await queryAll(
      this.ctx,
      buildShardLedgerTail(this.ctx.tableName, sku, locationId, shard, boundary),
    );
    return items.map(toMovement);
  }

  async getMovement(
    sku: Sku,
    locationId: LocationId,
    shard: number,
    movementId: string,
  ): Promise<Movement | null> {
    const item = await getItem(
      this.ctx,
      buildMovementGet(this.ctx.tableName, sku, locationId, shard, movementId),
    );
    return item ? toMovement(item) : null;
  }

  async getMovements(refs: readonly MovementRef[]): Promise<Map<string, Movement>> {
    const found = new Map<string, Movement>();
    for (let i = 0; i < refs.length; i += 100) {
      const request = buildMovementBatchGet(this.ctx.tableName, refs.slice(i, i + 100));
      for (const item of await batchGetAll(this.ctx, request)) {
        const movement = toMovement(item);
        found.set(movement.movementId, movement);
      }
    }
    return found;
  }

  /** A Scan of the whole table filtered to level items: it reads every item, so it is for batch jobs only. */
  async scanLevelShards(cursor: string | null, limit: number): Promise<LevelShardScanPage> {
    const startKey = cursor ? decodeKeyCursor(cursor, TABLE_KEY) : undefined;
    const page = await this.ctx.client.send(
      new ScanCommand(buildLevelShardScan(this.ctx.tableName, limit, startKey)),
    );
    const shards: LevelShardRef[] = (page.Items ?? []).map((item) => ({
      sku: item.sku as Sku,
      locationId: item.locationId as LocationId,
      shard: typeof item.shard === 'number' ? item.shard : 0,
    }));
    return { shards, nextCursor: page.LastEvaluatedKey ? encodeKeyCursor(page.LastEvaluatedKey) : null };
  }

  private async startPositions(sku: Sku, locationId: LocationId): Promise<ShardPositions> {
    const shards = await readLevelShards(this.ctx, sku, locationId);
    if (shards.length === 0) throw new NotFoundError('level', `${sku}@${locationId}`);
    return Object.fromEntries(shards.map((s) => [String(s.shard), null]));
  }
}
