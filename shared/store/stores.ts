import type { CartStore } from './cart-store.js';
import { DynamoCarts } from './dynamo-carts.js';
import { DynamoHoldStore } from './dynamo-hold-store.js';
import { DynamoIdempotencyStore } from './dynamo-idempotency-store.js';
import { DynamoLedgerStore } from './dynamo-ledger-store.js';
import { DynamoLevelAlertStore } from './dynamo-level-alert-store.js';
import { DynamoLevelStore } from './dynamo-level-store.js';
import { DynamoLocationStore } from './dynamo-location-store.js';
import { DynamoReplenishmentStore } from './dynamo-replenishment-store.js';
import type { HoldStore } from './hold-store.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { LedgerStore } from './ledger-store.js';
import type { LevelAlertStore } from './level-alert-store.js';
import type { LevelStore } from './level-store.js';
import type { LocationStore } from './location-store.js';
import type { ReplenishmentStore } from './replenishment-store.js';
import { type DynamoStoreOptions, storeContext } from './store-context.js';

/** The stores of the table, one per aggregate. Every mutation is one conditional write or one transaction. */
export interface Stores {
  readonly levels: LevelStore;
  readonly holds: HoldStore;
  readonly ledger: LedgerStore;
  readonly replenishments: ReplenishmentStore;
  readonly idempotency: IdempotencyStore;
  readonly locations: LocationStore;
  readonly alerts: LevelAlertStore;
  readonly carts: CartStore;
}

/** The DynamoDB stores of one table, sharing one client, retry policy and shard directory. */
export function createDynamoStores(options: DynamoStoreOptions): Stores {
  const ctx = storeContext(options);
  const carts: CartStore = new DynamoCarts(ctx);
  return {
    levels: new DynamoLevelStore(ctx),
    holds: new DynamoHoldStore(ctx),
    ledger: new DynamoLedgerStore(ctx),
    replenishments: new DynamoReplenishmentStore(ctx),
    idempotency: new DynamoIdempotencyStore(ctx),
    locations: new DynamoLocationStore(ctx),
    alerts: new DynamoLevelAlertStore(ctx),
    carts,
  };
}
