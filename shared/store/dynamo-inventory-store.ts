import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type DomainError,
  InsufficientStockError,
  InvariantViolationError,
  NotFoundError,
} from '../domain/errors.js';
import type { LocationId, ReservationId, Sku } from '../domain/identifiers.js';
import type { Movement } from '../domain/movement.js';
import type { ReplenishmentRequest } from '../domain/replenishment.js';
import type { Reservation } from '../domain/reservation.js';
import { planTake, type ShardPart, spread } from '../domain/sharding.js';
import type {
  CancelReplenishmentCommand,
  ExtendCommand,
  IndexedHold,
  OpenReplenishmentCommand,
  PurgedHoldCommand,
  ReceiveReplenishmentCommand,
  ReserveCommand,
  TransitionCommand,
} from './commands.js';
import {
  decodeCursor,
  decodeKeyCursor,
  encodeCursor,
  encodeKeyCursor,
  type ShardPositions,
} from './cursor.js';
import { explainExtendRefusal } from './failure-mapping.js';
import type {
  InventoryStore,
  LevelShardRef,
  LevelShardScanPage,
  MovementPage,
  OpenReplenishmentOutcome,
  PageRequest,
  ReplenishmentPage,
  ReplenishmentQuery,
  ReserveOutcome,
  TransitionOutcome,
} from './inventory-store.js';
import {
  CLOSED_REPLENISHMENT_PREFIX,
  closedReplenishmentKey,
  holdLevel,
  idempotencyKey,
  type Key,
  ledgerPartition,
  movementKey,
  openReplenishmentKey,
  REPLENISHMENT_LISTS,
  replenishmentPartition,
  reservationKey,
} from './keys.js';

/** The key attributes of the table, and of the `expiry` index, as cursors carry them. */
const TABLE_KEY = { pk: 'S', sk: 'S' } as const;
const EXPIRY_INDEX_KEY = { pk: 'S', sk: 'S', expiryBucket: 'S', expiresAt: 'N' } as const;

import { randomShard, readLevelShards, shardMap, unitsHeld } from './level-shards.js';
import type { WriteOutcome } from './level-store.js';
import { type Item, toIndexedHold, toMovement, toReplenishment, toReservation } from './records.js';
import type { PlannedTransaction } from './requests/plan.js';
import { buildPurgedHoldRelease } from './requests/purged-hold.js';
import {
  buildCancelReplenishment,
  buildOpenReplenishment,
  buildReplenishmentReceipt,
} from './requests/replenishment.js';
import { buildExtend, buildReserve, buildTransition } from './requests/reservations.js';
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

  /**
   * Reserve without reading: try one shard (a random one of the cached count, shard 0 for an unsharded level),
   * learn each refused shard's `available` and the level's shard count from the refusal's old image, try the
   * others, and when no single shard has the quantity, take it from several in one transaction. Refused only
   * when the shards together cannot serve it.
   */
  /**
   * Reserve without reading first: one guarded transaction on one shard (a random one of the cached shard count,
   * shard 0 for an unsharded level). When it is refused on a sharded level, read every shard once (strongly
   * consistent) and take the quantity from a shard that has it, or from several in one transaction; every part
   * stays guarded by its own shard, so a read that is stale by the time of the write fails, never oversells,
   * and is read again, a bounded number of times. Refused only when the shards together cannot serve it.
   */
  async reserve(cmd: ReserveCommand): Promise<ReserveOutcome> {
    const { sku, locationId, quantity } = cmd.reservation;
    const cached = this.directory.get(sku, locationId) ?? { active: 1, span: 1 };
    const start = randomShard(cached.active);
    let parts: ShardPart[] | null = [{ shard: start, quantity }];
    let available = 0;
    for (let attempt = 0; attempt < 5 && parts; attempt++) {
      const outcome = await transact(this.client, buildReserve(this.tableName, cmd, parts), this.retry);
      if (outcome.kind === 'applied') return { reservation: { ...cmd.reservation, parts }, replayed: false };
      if (outcome.kind === 'reservation-replay')
        return { reservation: toReservation(outcome.reservation), replayed: true };
      if (
        outcome.kind !== 'error' ||
        !(outcome.error instanceof InsufficientStockError) ||
        !outcome.observed
      ) {
        throw outcome.kind === 'error' ? outcome.error : unexpected(outcome);
      }
      const unsharded = outcome.observed.every((o) => o.shardSpan === 1);
      if (unsharded) {
        available = outcome.observed[0]?.have ?? 0;
        break;
      }
      const shards = await readLevelShards(this.ctx, sku, locationId);
      const first = shards.find((s) => s.shard === 0);
      this.directory.learn(sku, locationId, {
        active: first?.shardCount ?? 1,
        span: Math.max(shards.length, first?.shardSpan ?? 1),
      });
      const holdings = shards.map((s) => ({ shard: s.shard, have: s.available }));
      available = unitsHeld(holdings);
      parts = planTake(holdings, quantity, randomShard(first?.shardCount ?? 1));
    }
    throw new InsufficientStockError({ sku, locationId, requested: quantity, available });
  }

  async transition(cmd: TransitionCommand): Promise<TransitionOutcome> {
    const outcome = await this.send(buildTransition(this.tableName, cmd));
    if (outcome.kind === 'transition-replay')
      return { changed: false, reservation: toReservation(outcome.reservation) };
    if (outcome.kind !== 'applied') throw unexpected(outcome);
    const reservation = await this.getReservation(cmd.hold.reservationId);
    if (!reservation)
      throw new InvariantViolationError(
        `reservation ${cmd.hold.reservationId} vanished after ${cmd.transition}`,
      );
    return { changed: true, reservation };
  }

  async releasePurgedHold(cmd: PurgedHoldCommand): Promise<boolean> {
    const outcome = await this.send(buildPurgedHoldRelease(this.tableName, cmd));
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'already-restored') return false;
    throw unexpected(outcome);
  }

  async extend(cmd: ExtendCommand): Promise<Reservation> {
    try {
      const { Attributes } = await this.client.send(new UpdateCommand(buildExtend(this.tableName, cmd)));
      return toReservation(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw extendFailure(cmd, error.Item ? unmarshall(error.Item) : null);
    }
  }

  async findExpiredHolds(bucket: string, nowMs: number, limit: number): Promise<IndexedHold[]> {
    return this.queryHolds('expiry', 'expiryBucket', bucket, nowMs, limit);
  }

  async findExpiredHoldsOfLevel(
    sku: Sku,
    locationId: LocationId,
    nowMs: number,
    limit: number,
  ): Promise<IndexedHold[]> {
    const { span } = await shardMap(this.ctx, sku, locationId);
    const perShard = await Promise.all(
      Array.from({ length: span }, (_, shard) =>
        this.queryHolds('levelHolds', 'holdLevel', holdLevel(sku, locationId, shard), nowMs, limit),
      ),
    );
    return perShard
      .flat()
      .sort((a, b) => a.expiresAt - b.expiresAt)
      .slice(0, limit);
  }

  private async queryHolds(
    index: string,
    key: string,
    value: string,
    nowMs: number,
    limit: number,
  ): Promise<IndexedHold[]> {
    const holds: IndexedHold[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#key = :value AND #expiresAt <= :now',
          ExpressionAttributeNames: { '#key': key, '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':value': value, ':now': nowMs },
          Limit: limit - holds.length,
          ExclusiveStartKey,
        }),
      );
      holds.push(...(page.Items ?? []).map(toIndexedHold));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && holds.length < limit);
    return holds;
  }

  /** Pages through a level's ledger, merging its shards' ledgers in movement-id (time) order. */
  async listMovements(sku: Sku, locationId: LocationId, page: PageRequest): Promise<MovementPage> {
    const positions = page.cursor ? decodeCursor(page.cursor) : await this.startPositions(sku, locationId);
    const forward = page.order === 'asc';
    const fetched: Array<{ shard: string; item: Item }> = [];
    const hasMore = new Set<string>();
    for (const [shard, after] of Object.entries(positions)) {
      const pk = ledgerPartition(sku, locationId, Number(shard));
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: forward,
          Limit: page.limit,
          ConsistentRead: true,
          ...(after ? { ExclusiveStartKey: { pk, sk: after } } : {}),
        }),
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
    for (const shard of shards) {
      const items = await this.queryAll({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerPartition(sku, locationId, shard.shard) },
        ConsistentRead: true,
      });
      all.push(...items.map(toMovement));
    }
    return all;
  }

  async getReservation(reservationId: ReservationId): Promise<Reservation | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reservationKey(reservationId), ConsistentRead: true }),
    );
    return Item ? toReservation(Item) : null;
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

  async getMovement(
    sku: Sku,
    locationId: LocationId,
    shard: number,
    movementId: string,
  ): Promise<Movement | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: movementKey(sku, locationId, shard, movementId),
        ConsistentRead: true,
      }),
    );
    return Item ? toMovement(Item) : null;
  }

  async shardMovements(sku: Sku, locationId: LocationId, shard: number): Promise<Movement[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerPartition(sku, locationId, shard) },
      ConsistentRead: true,
    });
    return items.map(toMovement);
  }

  /** A Scan of the whole table filtered to level items: it reads every item, so it is for batch jobs only. */
  async scanLevelShards(cursor: string | null, limit: number): Promise<LevelShardScanPage> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        FilterExpression: '#kind = :level',
        ProjectionExpression: 'pk, sk, #sku, #locationId, #shard',
        ExpressionAttributeNames: {
          '#kind': 'kind',
          '#sku': 'sku',
          '#locationId': 'locationId',
          '#shard': 'shard',
        },
        ExpressionAttributeValues: { ':level': 'Level' },
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: decodeKeyCursor(cursor, TABLE_KEY) } : {}),
      }),
    );
    const shards: LevelShardRef[] = (page.Items ?? []).map((item) => ({
      sku: item.sku as Sku,
      locationId: item.locationId as LocationId,
      shard: typeof item.shard === 'number' ? item.shard : 0,
    }));
    return { shards, nextCursor: page.LastEvaluatedKey ? encodeKeyCursor(page.LastEvaluatedKey) : null };
  }

  /** Sends a transaction whose refusal is always final: a typed error is thrown as is. */
  private async send(planned: PlannedTransaction): Promise<TransactResult> {
    const outcome = await transact(this.client, planned, this.retry);
    if (outcome.kind === 'error') throw outcome.error;
    return outcome;
  }

  private async startPositions(sku: Sku, locationId: LocationId): Promise<ShardPositions> {
    const shards = await readLevelShards(this.ctx, sku, locationId);
    if (shards.length === 0) throw new NotFoundError('level', `${sku}@${locationId}`);
    return Object.fromEntries(shards.map((s) => [String(s.shard), null]));
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

function unexpected(outcome: TransactResult): InvariantViolationError {
  return new InvariantViolationError(`unexpected transaction outcome ${outcome.kind}`);
}

function extendFailure(cmd: ExtendCommand, old: Item | null): DomainError {
  return explainExtendRefusal(cmd.reservationId, cmd.ownerId, cmd.nowMs, cmd.expiresAt, old);
}
