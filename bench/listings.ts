import '../infra/local/quiet-sdk.js';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { reserveStock } from '../shared/holds/use-cases/reservations.js';
import { systemClock } from '../shared/kernel/clock.js';
import {
  type LocationId,
  type PrincipalId,
  parseLocationId,
  parsePrincipalId,
  parseSku,
  type Sku,
} from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import { levelKey, movementKey, reservationKey } from '../shared/platform/store/keys.js';
import { LIST1, LIST2 } from '../shared/platform/store/listing-keys.js';
import type { Item } from '../shared/platform/store/records.js';
import { createTableInput } from '../shared/platform/store/table-definition.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { type LoadResult, runLoad } from './load.js';

/**
 * The listing indexes' cost and use (issue 15, docs/data-model.md "Listing indexes"):
 * - WCU per reserve before and after them, computed from the sizes of the items one real reserve writes (as
 *   docs/hot-skus.md does: DynamoDB Local under-reports transactions): 2 WCU per KB per transaction item, 1 per
 *   KB per index entry written;
 * - the reserve throughput on this machine with and without the two indexes (the same use case, two tables);
 * - a read-heavy mix over HTTP that uses the listings: 50 reads (levels at a location, the catalogue, a
 *   caller's reservations, availability) per reserve.
 * `npm run bench` registers it (bench/run.ts); `npx tsx bench/listings.ts` runs it alone, small.
 */
export interface ListingsScenario {
  readonly name: string;
  readonly load: LoadResult;
  readonly oversold: number;
  readonly note?: string;
}

export interface ReserveWcu {
  readonly before: number;
  readonly after: number;
  readonly itemBytes: Readonly<Record<string, number>>;
}

const LISTING_ATTRIBUTES: readonly string[] = [LIST1.pk, LIST1.sk, LIST2.pk, LIST2.sk];
const ADMIN = parsePrincipalId('bench-listings-admin');
const KB = 1024;

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about 1 byte per 2 digits). */
export function itemBytes(value: unknown, name = ''): number {
  const own = Buffer.byteLength(name, 'utf8');
  if (value === null || value === undefined || typeof value === 'boolean') return own + 1;
  if (typeof value === 'string') return own + Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number')
    return own + Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (Array.isArray(value)) return own + 3 + value.reduce((n: number, v) => n + itemBytes(v) + 1, 0);
  return own + 3 + Object.entries(value as Item).reduce((n, [k, v]) => n + itemBytes(v, k) + 1, 0);
}

const without = (item: Item, names: readonly string[]): Item =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !names.includes(k)));

/**
 * WCU of one reserve, from the items it wrote: the level (shard 0), the reservation, the movement, each 2 WCU per
 * KB in the transaction; plus 1 WCU per KB for each index entry of the reservation (before: `expiry` and
 * `levelHolds`; after: also `list1` and `list2`, keys only). "Before" drops the listing keys (and the level's
 * first-seen time) from the items.
 */
export async function reserveWcu(
  deps: UseCaseDeps,
  read: (key: { pk: string; sk: string }) => Promise<Item>,
  sku: Sku,
  locationId: LocationId,
): Promise<ReserveWcu> {
  const { reservation } = await reserveStock(
    deps,
    { sku, locationId, quantity: 1 },
    parsePrincipalId('bench-wcu'),
  );
  const level = await read(levelKey(sku, locationId, 0));
  const held = await read(reservationKey(reservation.reservationId));
  const movementId = String(level.lastMovementId);
  const movement = await read(movementKey(sku, locationId, 0, movementId));
  const tx = (items: readonly Item[]) =>
    items.reduce((n, item) => n + 2 * Math.ceil(itemBytes(item) / KB), 0);
  const indexEntry = (item: Item, keys: readonly string[]) =>
    Math.ceil(itemBytes(Object.fromEntries(keys.map((k) => [k, item[k]]))) / KB);
  const projected = ['reservationId', 'sku', 'locationId', 'parts', 'quantity', 'ownerId', 'countedHold'];
  const holdIndexes =
    indexEntry(held, ['pk', 'sk', 'expiryBucket', 'expiresAt', ...projected]) +
    indexEntry(held, ['pk', 'sk', 'holdLevel', 'expiresAt', ...projected]);
  const listIndexes =
    indexEntry(held, ['pk', 'sk', LIST1.pk, LIST1.sk]) + indexEntry(held, ['pk', 'sk', LIST2.pk, LIST2.sk]);
  const strip = (item: Item) => without(item, [...LISTING_ATTRIBUTES, 'createdAt']);
  return {
    before: tx([strip(level), without(held, LISTING_ATTRIBUTES), movement]) + holdIndexes,
    after: tx([level, held, movement]) + holdIndexes + listIndexes,
    itemBytes: { level: itemBytes(level), reservation: itemBytes(held), movement: itemBytes(movement) },
  };
}

function localClient(endpoint: string) {
  return createDocumentClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Reads an item as stored, for its size. */
const itemReader =
  (endpoint: string, tableName: string) =>
  async (key: { pk: string; sk: string }): Promise<Item> =>
    ((
      await localClient(endpoint).send(
        new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
      )
    ).Item ?? {}) as Item;

function depsOn(endpoint: string, tableName: string): UseCaseDeps {
  const client = localClient(endpoint);
  return {
    ...createDynamoStores({ client, tableName }),
    clock: systemClock,
    ids: ulidSource(systemClock),
    holdPolicy: DEFAULT_HOLD_POLICY,
  };
}

async function createTable(endpoint: string, tableName: string, withListings: boolean) {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const input = createTableInput(tableName);
  const listing = new Set<string>(LISTING_ATTRIBUTES);
  await raw.send(
    new CreateTableCommand(
      withListings
        ? input
        : {
            ...input,
            AttributeDefinitions: input.AttributeDefinitions?.filter(
              (a) => !listing.has(a.AttributeName ?? ''),
            ),
            GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.filter(
              (i) => !i.IndexName?.startsWith('list'),
            ),
          },
    ),
  );
  raw.destroy();
}

/** Reserves through the use case on one table: SKUs × 1 location, `operations` holds of 1 unit. */
async function reserveThroughput(deps: UseCaseDeps, prefix: string, operations: number, concurrency: number) {
  const locationId = parseLocationId(`${prefix}-WH`);
  await createLocation(deps, { locationId, name: prefix, region: 'local', ownerId: ADMIN });
  const skus = Array.from({ length: 50 }, (_, i) => parseSku(`${prefix}-${i}`));
  for (const sku of skus)
    await receiveStock(deps, { sku, locationId, quantity: 1_000_000 }, { actor: ADMIN });
  const buyers = Array.from({ length: 50 }, (_, i) => parsePrincipalId(`${prefix}-buyer-${i}`));
  await runLoad(100, concurrency, (i) =>
    reserveStock(
      deps,
      { sku: skus[i % skus.length] as Sku, locationId, quantity: 1 },
      buyers[i % buyers.length] as PrincipalId,
    ).then(() => true),
  );
  return runLoad(operations, concurrency, (i) =>
    reserveStock(
      deps,
      { sku: skus[(i * 7) % skus.length] as Sku, locationId, quantity: 1 },
      buyers[i % buyers.length] as PrincipalId,
    ).then(
      () => true,
      () => false,
    ),
  );
}

export interface ListingsSize {
  readonly reserves: number;
  readonly reads: number;
  readonly concurrency: number;
}

/**
 * The three measurements on a DynamoDB Local at `endpoint` (two fresh tables of its own for the throughput
 * comparison) and, for the read-heavy mix, the HTTP API at `url` on `deps`' table.
 */
export async function listingsScenarios(options: {
  readonly endpoint: string;
  readonly deps: UseCaseDeps;
  readonly tableName: string;
  readonly url: string;
  readonly adminToken: string;
  readonly buyerToken: string;
  readonly size: ListingsSize;
}): Promise<{ scenarios: ListingsScenario[]; wcu: ReserveWcu; throughputRatio: number }> {
  const { endpoint, deps, url, size } = options;
  const stamp = Date.now().toString(36);

  // WCU per reserve, from the items of one real reserve.
  const wcuLocation = parseLocationId(`LST-WCU-${stamp}`);
  await createLocation(deps, { locationId: wcuLocation, name: 'WCU', region: 'local', ownerId: ADMIN });
  const wcuSku = parseSku(`LST-WCU-${stamp}`);
  await receiveStock(deps, { sku: wcuSku, locationId: wcuLocation, quantity: 10 }, { actor: ADMIN });
  const wcu = await reserveWcu(deps, itemReader(endpoint, options.tableName), wcuSku, wcuLocation);

  // Reserve throughput with and without the listing indexes.
  const before = `listings-before-${stamp}`;
  const after = `listings-after-${stamp}`;
  await createTable(endpoint, before, false);
  await createTable(endpoint, after, true);
  const without = await reserveThroughput(
    depsOn(endpoint, before),
    'BEFORE',
    size.reserves,
    size.concurrency,
  );
  const withIndexes = await reserveThroughput(
    depsOn(endpoint, after),
    'AFTER',
    size.reserves,
    size.concurrency,
  );
  const throughputRatio = Math.round((withIndexes.opsPerSec / Math.max(1, without.opsPerSec)) * 100) / 100;

  // A read-heavy mix over HTTP that uses the listings.
  const locationId = parseLocationId(`LST-READ-${stamp}`);
  await createLocation(deps, { locationId, name: 'Reads', region: 'local', ownerId: ADMIN });
  const skus = Array.from({ length: 60 }, (_, i) => parseSku(`LST-${stamp}-${String(i).padStart(3, '0')}`));
  for (const sku of skus)
    await receiveStock(deps, { sku, locationId, quantity: 1_000_000 }, { actor: ADMIN });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const reads = [
    () => call('GET', `/locations/${locationId}/levels?limit=50`, options.adminToken),
    () => call('GET', `/skus?skuPrefix=LST-${stamp}&limit=50`, options.buyerToken),
    () => call('GET', '/reservations?limit=20', options.buyerToken),
    (i: number) => call('GET', `/skus/${skus[i % skus.length]}/availability`, options.buyerToken),
  ];
  const mix = await runLoad(size.reads, size.concurrency, async (i) => {
    if (i % 51 === 50) {
      const sku = skus[i % skus.length] as Sku;
      return (
        (await call('POST', '/reservations', options.buyerToken, { sku, locationId, quantity: 1 })) === 201
      );
    }
    return (await (reads[i % reads.length] as (i: number) => Promise<number>)(i)) === 200;
  });

  return {
    wcu,
    throughputRatio,
    scenarios: [
      {
        name: 'reserve, no listing indexes',
        load: without,
        oversold: 0,
        note: `${wcu.before} WCU/reserve (computed)`,
      },
      {
        name: 'reserve, with listing indexes',
        load: withIndexes,
        oversold: 0,
        note: `${wcu.after} WCU/reserve, ${throughputRatio}x throughput`,
      },
      {
        name: 'read-heavy with listings (50:1)',
        load: mix,
        oversold: 0,
        note: 'levels, skus, reservations, availability',
      },
    ],
  };
}

/** `npx tsx bench/listings.ts`: the scenario alone, small, with its own DynamoDB Local and local runtime. */
async function main() {
  const dynamo = await startDynamoDbLocal();
  const tableName = 'inventory-listings-bench';
  await createTable(dynamo.endpoint, tableName, true);
  const key = await newDevSigningKey();
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    signingKey: key,
    settings: { CALLER_RATE_LIMIT_PER_SECOND: '1000000', CALLER_RATE_LIMIT_BURST: '1000000' },
    events: false,
  });
  try {
    const result = await listingsScenarios({
      endpoint: dynamo.endpoint,
      deps: depsOn(dynamo.endpoint, tableName),
      tableName,
      url: runtime.url,
      adminToken: await signDevToken(key, { sub: 'bench-admin', roles: ['admin'] }),
      buyerToken: await signDevToken(key, { sub: 'bench-buyer', roles: ['storefront'] }),
      size: { reserves: 400, reads: 510, concurrency: 16 },
    });
    for (const s of result.scenarios) {
      console.log(
        `${s.name.padEnd(34)} ${String(s.load.operations).padStart(5)} ops ${s.load.opsPerSec.toFixed(0).padStart(6)} ops/s p99 ${s.load.p99Ms.toFixed(1)} ms  ${s.note ?? ''}`,
      );
    }
    console.log(JSON.stringify({ wcu: result.wcu, throughputRatio: result.throughputRatio }));
  } finally {
    await runtime.stop();
    await dynamo.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
