import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  AlreadyExistsError,
  type DomainError,
  InvariantViolationError,
  NotFoundError,
  VersionConflictError,
} from '../domain/errors.js';
import type { LocationId, ReservationId, Sku } from '../domain/identifiers.js';
import type { Location } from '../domain/location.js';
import type { Movement } from '../domain/movement.js';
import type { Reservation } from '../domain/reservation.js';
import type { StockLevel } from '../domain/stock-level.js';
import type {
  AdjustCommand,
  BlockCommand,
  CountCommand,
  ExtendCommand,
  IdempotencyRecord,
  IndexedHold,
  PurgedHoldCommand,
  ReceiveCommand,
  ReserveCommand,
  TransferCommand,
  TransitionCommand,
} from './commands.js';
import { decodeCursor, encodeCursor, type ShardPositions } from './cursor.js';
import { explainExtendRefusal } from './failure-mapping.js';
import type {
  InventoryStore,
  LocationChanges,
  MovementPage,
  PageRequest,
  ReserveOutcome,
  TransitionOutcome,
  WriteOutcome,
} from './inventory-store.js';
import {
  holdLevel,
  LEVEL_PREFIX,
  LOCATIONS_PARTITION,
  ledgerPartition,
  levelPrefix,
  locationKey,
  reservationKey,
  skuPartition,
} from './keys.js';
import {
  type Item,
  type LevelShardItem,
  locationItem,
  toIndexedHold,
  toLevelShard,
  toLocation,
  toMovement,
  toReservation,
  toStockLevel,
} from './records.js';
import type { PlannedTransaction } from './requests/plan.js';
import { buildPurgedHoldRelease } from './requests/purged-hold.js';
import { buildExtend, buildReserve, buildTransition } from './requests/reservations.js';
import {
  buildAdjust,
  buildBlock,
  buildCount,
  buildReceive,
  buildTransfer,
} from './requests/stock-changes.js';
import { DEFAULT_RETRY, type RetryPolicy, type TransactResult, transact } from './transact.js';

export interface DynamoInventoryStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly retry?: RetryPolicy;
}

/** The DynamoDB implementation of InventoryStore: builds requests with the pure builders and sends them. */
export class DynamoInventoryStore implements InventoryStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly retry: RetryPolicy;

  constructor(options: DynamoInventoryStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  receive(cmd: ReceiveCommand): Promise<WriteOutcome> {
    return this.keyedWrite(buildReceive(this.tableName, cmd), cmd.idempotency);
  }

  adjust(cmd: AdjustCommand): Promise<WriteOutcome> {
    return this.keyedWrite(buildAdjust(this.tableName, cmd), cmd.idempotency);
  }

  count(cmd: CountCommand, currentOnHand: number): Promise<WriteOutcome> {
    return this.keyedWrite(buildCount(this.tableName, cmd, currentOnHand), cmd.idempotency);
  }

  block(cmd: BlockCommand): Promise<WriteOutcome> {
    return this.keyedWrite(buildBlock(this.tableName, cmd), cmd.idempotency);
  }

  transfer(cmd: TransferCommand): Promise<WriteOutcome> {
    return this.keyedWrite(buildTransfer(this.tableName, cmd), cmd.idempotency);
  }

  async reserve(cmd: ReserveCommand): Promise<ReserveOutcome> {
    const outcome = await this.send(buildReserve(this.tableName, cmd));
    if (outcome.kind === 'applied') return { reservation: cmd.reservation, replayed: false };
    if (outcome.kind === 'reservation-replay')
      return { reservation: toReservation(outcome.reservation), replayed: true };
    throw unexpected(outcome);
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

  async extend(cmd: ExtendCommand): Promise<Reservation> {
    try {
      const { Attributes } = await this.client.send(new UpdateCommand(buildExtend(this.tableName, cmd)));
      return toReservation(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw extendFailure(cmd, error.Item ? unmarshall(error.Item) : null);
    }
  }

  async releasePurgedHold(cmd: PurgedHoldCommand): Promise<boolean> {
    const outcome = await this.send(buildPurgedHoldRelease(this.tableName, cmd));
    if (outcome.kind === 'applied') return true;
    if (outcome.kind === 'already-restored') return false;
    throw unexpected(outcome);
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
    return this.queryHolds('levelHolds', 'holdLevel', holdLevel(sku, locationId), nowMs, limit);
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

  async getLevelShards(sku: Sku, locationId: LocationId): Promise<LevelShardItem[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': skuPartition(sku), ':prefix': levelPrefix(locationId) },
      ConsistentRead: true,
    });
    return items.map(toLevelShard);
  }

  async getLevel(sku: Sku, locationId: LocationId): Promise<StockLevel | null> {
    const shards = await this.getLevelShards(sku, locationId);
    return shards.length ? toStockLevel(shards) : null;
  }

  async getAvailability(sku: Sku): Promise<StockLevel[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': skuPartition(sku), ':prefix': LEVEL_PREFIX },
      ConsistentRead: true,
    });
    const byLocation = new Map<string, LevelShardItem[]>();
    for (const shard of items.map(toLevelShard)) {
      const list = byLocation.get(shard.locationId) ?? [];
      list.push(shard);
      byLocation.set(shard.locationId, list);
    }
    return [...byLocation.values()].map(toStockLevel);
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
    const shards = await this.getLevelShards(sku, locationId);
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

  async createLocation(location: Location): Promise<Location> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: locationItem(location),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return location;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new AlreadyExistsError('location', location.locationId);
      throw error;
    }
  }

  async updateLocation(
    locationId: LocationId,
    changes: LocationChanges,
    at: string,
    expectedVersion: number | null,
  ): Promise<Location> {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt', '#version': 'version' };
    const values: Record<string, unknown> = { ':at': at, ':one': 1 };
    const sets = ['#updatedAt = :at'];
    const removes: string[] = [];
    const set = (attr: string, value: unknown) => {
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      sets.push(`#${attr} = :${attr}`);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.region !== undefined) set('region', changes.region);
    if (changes.priority !== undefined) set('priority', changes.priority);
    if (changes.active !== undefined) set('active', changes.active);
    if (changes.coordinates !== undefined) {
      if (changes.coordinates === null) {
        names['#latitude'] = 'latitude';
        names['#longitude'] = 'longitude';
        removes.push('#latitude', '#longitude');
      } else {
        set('latitude', changes.coordinates.latitude);
        set('longitude', changes.coordinates.longitude);
      }
    }
    let condition = 'attribute_exists(pk)';
    if (expectedVersion !== null) {
      condition += ' AND #version = :expectedVersion';
      values[':expectedVersion'] = expectedVersion;
    }
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: locationKey(locationId),
          UpdateExpression: `SET ${sets.join(', ')} ADD #version :one${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return toLocation(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new NotFoundError('location', locationId);
      const old = unmarshall(error.Item);
      throw new VersionConflictError(
        expectedVersion ?? 0,
        typeof old.version === 'number' ? old.version : null,
      );
    }
  }

  async getLocation(locationId: LocationId): Promise<Location | null> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: locationKey(locationId), ConsistentRead: true }),
    );
    return Item ? toLocation(Item) : null;
  }

  async listLocations(): Promise<Location[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LOCATIONS_PARTITION },
      ConsistentRead: true,
    });
    return items.map(toLocation);
  }

  private async send(planned: PlannedTransaction): Promise<TransactResult> {
    const outcome = await transact(this.client, planned, this.retry);
    if (outcome.kind === 'error') throw outcome.error;
    return outcome;
  }

  private async keyedWrite(
    planned: PlannedTransaction,
    idempotency: IdempotencyRecord | null,
  ): Promise<WriteOutcome> {
    const outcome = await this.send(planned);
    if (outcome.kind === 'applied') return { replayed: false, result: idempotency?.result ?? {} };
    if (outcome.kind === 'idempotent-replay') {
      return { replayed: true, result: (outcome.record.result as Record<string, unknown> | undefined) ?? {} };
    }
    throw unexpected(outcome);
  }

  private async startPositions(sku: Sku, locationId: LocationId): Promise<ShardPositions> {
    const shards = await this.getLevelShards(sku, locationId);
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
