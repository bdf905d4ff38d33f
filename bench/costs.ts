import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../infra/local/table.js';
import { completeCart, createCart, reserveCartStep } from '../shared/carts/use-cases/carts.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { getReservation, reserveStock, resolveHold } from '../shared/holds/use-cases/reservations.js';
import { systemClock } from '../shared/kernel/clock.js';
import { parseCartId, parseLocationId, parsePrincipalId, parseSku } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { type IndexSpec, itemSize, readUnits, writeCapacity } from '../shared/platform/store/capacity.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import { TABLE_SCHEMA } from '../shared/platform/store/table-definition.js';
import { readAvailability, readLevel } from '../shared/stock/use-cases/reads.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { type RecordedCall, startCapacityProxy } from './capacity-proxy.js';

export interface OperationCost {
  readonly operation: string;
  /** Table write units (2 per KB per item inside a transaction). */
  readonly wcu: number;
  /** Index write units (the `expiry` and `levelHolds` entries). */
  readonly indexWcu: number;
  readonly rcu: number;
  /** The DynamoDB calls it made, e.g. `TransactWriteItems(3)`. */
  readonly calls: string;
}

const INDEXES: IndexSpec[] = TABLE_SCHEMA.globalIndexes.map((i) => ({
  partitionKey: i.partitionKey.name,
  sortKey: i.sortKey.name,
  projected: i.nonKeyAttributes,
}));
const KEYS = [TABLE_SCHEMA.partitionKey.name, TABLE_SCHEMA.sortKey.name];

/** The capacity units of the calls of one operation, priced from the sizes of the items they wrote and read. */
export function costOf(operation: string, calls: readonly RecordedCall[]): OperationCost {
  const writes = writeCapacity(
    calls.flatMap((c) => c.writes),
    INDEXES,
    KEYS,
  );
  const rcu = calls
    .flatMap((c) => c.reads)
    .reduce(
      (n, r) =>
        n +
        readUnits(
          r.bytes.reduce((b, item) => b + itemSize(item), 0),
          r,
        ),
      0,
    );
  const names = calls.map((c) =>
    c.operation === 'TransactWriteItems' ? `TransactWriteItems(${c.writes.length})` : c.operation,
  );
  return { operation, wcu: writes.wcu, indexWcu: writes.indexWcu, rcu, calls: names.join(' + ') };
}

const ADMIN = parsePrincipalId('bench-admin');

/**
 * Cost per operation: each operation run once through its use case against DynamoDB Local, behind a recording
 * proxy that keeps the images of the items each call wrote and read; the units are then computed from the item
 * sizes as AWS bills them (`shared/platform/store/capacity.ts`), not taken from DynamoDB Local, which under-reports
 * transactions. Steady state: the level exists, no idempotency key, no cap on live holds per caller.
 */
export async function costsScenario(endpoint: string): Promise<OperationCost[]> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const tableName = 'inventory-bench-costs';
  const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
  await ensureTable(raw, tableName);
  raw.destroy();
  const proxy = await startCapacityProxy(endpoint);
  const client = createDocumentClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials });
  const deps = {
    ...createDynamoStores({ client, tableName }),
    clock: systemClock,
    ids: ulidSource(systemClock),
    holdPolicy: DEFAULT_HOLD_POLICY,
  };
  const costs: OperationCost[] = [];
  const measure = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    proxy.take();
    const result = await work();
    costs.push(costOf(operation, proxy.take()));
    return result;
  };
  try {
    const locationId = parseLocationId('BENCH-COST-WH');
    await createLocation(deps, { locationId, name: 'Cost warehouse', region: 'local', ownerId: ADMIN });
    const sku = parseSku('COST-1');
    const other = parseSku('COST-2');
    const who = { actor: ADMIN, reason: 'bench' };
    await receiveStock(deps, { sku, locationId, quantity: 100 }, who);
    await receiveStock(deps, { sku: other, locationId, quantity: 100 }, who);
    await measure('receipt', () => receiveStock(deps, { sku, locationId, quantity: 10 }, who));
    const buyer = parsePrincipalId('bench-cost-buyer');
    const held = await measure('reserve', () => reserveStock(deps, { sku, locationId, quantity: 1 }, buyer));
    const id = held.reservation.reservationId;
    await measure('read a reservation', () => getReservation(deps, id, buyer));
    await measure('confirm', () => resolveHold(deps, 'confirm', { reservationId: id }, buyer, buyer));
    const second = await reserveStock(deps, { sku, locationId, quantity: 1 }, buyer);
    await measure('release', () =>
      resolveHold(deps, 'release', { reservationId: second.reservation.reservationId }, buyer, buyer),
    );
    await measure('read a level', () => readLevel(deps, sku, locationId));
    await measure('read availability (1 location)', () => readAvailability(deps, sku));
    const cart = async (name: string, lines: number) => {
      const cartId = parseCartId(`cost-${name}`);
      const skus = [sku, other].slice(0, lines);
      return measure(`cart of ${lines} line${lines > 1 ? 's' : ''} (create, hold, complete)`, async () => {
        await createCart(
          deps,
          {
            cartId,
            lines: skus.map((s) => ({ sku: s, quantity: 1, locationId: null })),
            strategy: 'priority',
            ttlSeconds: 600,
          },
          buyer,
          [{ locationId, lines: skus.map((s, lineIndex) => ({ lineIndex, sku: s, quantity: 1 })) }],
        );
        await reserveCartStep(deps, { ownerId: buyer, cartId, stepIndex: 0 });
        await completeCart(deps, { ownerId: buyer, cartId });
      });
    };
    await cart('one', 1);
    await cart('two', 2);
    const [one, two] = costs.slice(-2) as [OperationCost, OperationCost];
    costs.push({
      operation: 'cart line (each line after the first)',
      wcu: two.wcu - one.wcu,
      indexWcu: two.indexWcu - one.indexWcu,
      rcu: two.rcu - one.rcu,
      calls: 'a hold and a level and a movement in the step transaction',
    });
    return costs;
  } finally {
    client.destroy();
    await proxy.stop();
  }
}

/** The costs as a table. */
export function renderCosts(costs: readonly OperationCost[]): string {
  const cells = (c: readonly (string | number)[]) =>
    c.map((x, i) => String(x).padEnd(i === 0 ? 44 : i < 4 ? 10 : 0)).join('');
  return [
    '',
    'cost per operation (capacity units from item sizes, as AWS bills them; DynamoDB Local under-reports transactions)',
    cells(['operation', 'WCU', 'index', 'RCU', 'calls']),
    ...costs.map((c) => cells([c.operation, c.wcu, c.indexWcu, c.rcu, c.calls])),
  ].join('\n');
}
