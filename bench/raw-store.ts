import {
  type DynamoDBClient,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Reservation } from '../shared/holds/domain/reservation.js';
import { buildReserve } from '../shared/holds/store/requests/reservations.js';
import type { LocationId, PrincipalId, ReservationId, Sku } from '../shared/kernel/identifiers.js';
import type { IdSource } from '../shared/kernel/ids.js';
import { levelKey, movementKey, reservationKey } from '../shared/platform/store/keys.js';
import type { PlannedTransaction } from '../shared/stock/store/requests/plan.js';
import { type LoadResult, runLoad } from './load.js';

interface Level {
  readonly sku: Sku;
  readonly locationId: LocationId;
}

function holdOf(level: Level, id: string, now: number, owner: PrincipalId): Omit<Reservation, 'parts'> {
  const at = new Date(now).toISOString();
  return {
    reservationId: id as ReservationId,
    sku: level.sku,
    locationId: level.locationId,
    quantity: 1,
    ownerId: owner,
    status: 'HELD',
    createdAt: at,
    updatedAt: at,
    expiresAt: now + 900_000,
    maxExpiresAt: now + 900_000,
    reference: null,
    resolvedAt: null,
    countedHold: false,
  };
}

/** Sends one reserve's TransactWriteItems, built in the document form the store's builders give. */
export type SendTransaction = (items: PlannedTransaction['items']) => Promise<unknown>;

/** As the service sends it: through the document client (lib-dynamodb marshals the items). */
export const throughDocumentClient =
  (client: DynamoDBDocumentClient): SendTransaction =>
  (items) =>
    client.send(new TransactWriteCommand({ TransactItems: items }));

/**
 * The leanest call the SDK offers, for the SDK's floor of `--cpu-ratio` (ADR 52): the items marshalled here and
 * sent through a low-level client, which may cache its resolved middleware stack (`cacheMiddleware`), something
 * lib-dynamodb refuses (ADR 40).
 */
export const throughLowLevelClient =
  (client: DynamoDBClient): SendTransaction =>
  (items) =>
    client.send(new TransactWriteItemsCommand({ TransactItems: items.map(marshalledItem) }));

const values = (v: Record<string, unknown> | undefined) =>
  v ? marshall(v, { removeUndefinedValues: true }) : undefined;

export function marshalledItem(item: PlannedTransaction['items'][number]): TransactWriteItem {
  const [[action, request]] = Object.entries(item) as unknown as [[string, Record<string, unknown>]];
  const marshalled: Record<string, unknown> = { ...request };
  for (const field of ['Item', 'Key', 'ExpressionAttributeValues'])
    if (request[field]) marshalled[field] = values(request[field] as Record<string, unknown>);
  return { [action]: marshalled } as TransactWriteItem;
}

/**
 * The store's own ceiling: the very TransactWriteItems a storefront's reserve sends (built by the same pure
 * builder, with the per-caller hold counter of a capped caller), sent straight to DynamoDB Local with the same
 * concurrency and the same buyers, no HTTP, no auth, no validation.
 */
export function rawReserveCeiling(
  send: SendTransaction,
  tableName: string,
  levels: readonly Level[],
  owners: readonly PrincipalId[],
  ids: IdSource,
  operations: number,
  concurrency: number,
  activeHoldCap: number,
): Promise<LoadResult> {
  return runLoad(operations, concurrency, async (i) => {
    const level = levels[i % levels.length] as Level;
    const now = Date.now();
    const planned = buildReserve(
      tableName,
      {
        reservation: holdOf(level, ids.next(), now, owners[i % owners.length] as PrincipalId),
        requestHash: 'raw',
        idempotencyKey: null,
        movementId: ids.next(),
        context: {
          actor: 'bench-raw' as PrincipalId,
          at: new Date(now).toISOString(),
          reason: null,
          reference: null,
        },
        ttlEpochSeconds: Math.ceil(now / 1000) + 86_400,
        activeHoldCap,
      },
      [{ shard: 0, quantity: 1 }],
    );
    await send(planned.items);
    return true;
  });
}

/**
 * What the service prevents: a reserve that reads the level, decides, and writes what it computed, with no
 * condition. Racing buyers read the same `available` and all write, so more units are held than exist.
 * Returns how many reserves "succeeded".
 */
export async function naiveReserve(
  client: DynamoDBDocumentClient,
  tableName: string,
  level: Level,
  ids: IdSource,
  attempts: number,
  concurrency: number,
): Promise<LoadResult> {
  return runLoad(attempts, concurrency, async () => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: levelKey(level.sku, level.locationId, 0),
        ConsistentRead: true,
      }),
    );
    const available = Number(Item?.available ?? 0);
    const reserved = Number(Item?.reserved ?? 0);
    if (available < 1) return false;
    const id = ids.next();
    const movementId = ids.next();
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: levelKey(level.sku, level.locationId, 0),
              UpdateExpression: 'SET available = :a, reserved = :r',
              ExpressionAttributeValues: { ':a': available - 1, ':r': reserved + 1 },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...reservationKey(id as ReservationId), kind: 'NaiveHold' },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: { ...movementKey(level.sku, level.locationId, 0, movementId), kind: 'NaiveMovement' },
            },
          },
        ],
      }),
    );
    return true;
  });
}
