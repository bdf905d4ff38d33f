import { DynamoLevelAlertStore } from '../../alerts/store/dynamo-level-alert-store.js';
import type { LevelAlertStore } from '../../alerts/store/level-alert-store.js';
import type { AnalyticsStore } from '../../analytics/store/analytics-store.js';
import { DynamoAnalyticsStore } from '../../analytics/store/dynamo-analytics-store.js';
import type { BatchStore } from '../../bulk/store/batch-store.js';
import { DynamoBatchStore } from '../../bulk/store/dynamo-batch-store.js';
import type { CartStore } from '../../carts/store/cart-store.js';
import { DynamoCarts } from '../../carts/store/dynamo-carts.js';
import type { ChangeFeedStore } from '../../changes/store/change-feed-store.js';
import { DynamoChangeFeedStore } from '../../changes/store/dynamo-change-feed-store.js';
import { DynamoHoldStore } from '../../holds/store/dynamo-hold-store.js';
import type { HoldStore } from '../../holds/store/hold-store.js';
import { DynamoListingStore } from '../../listings/store/dynamo-listing-store.js';
import type { ListingStore } from '../../listings/store/listing-store.js';
import { DynamoLocationStore } from '../../locations/store/dynamo-location-store.js';
import type { LocationStore } from '../../locations/store/location-store.js';
import { DynamoReplenishmentStore } from '../../replenishment/store/dynamo-replenishment-store.js';
import type { ReplenishmentStore } from '../../replenishment/store/replenishment-store.js';
import type { CheckpointStore } from '../../stock/store/checkpoint-store.js';
import { type ContentionStore, DynamoContentionStore } from '../../stock/store/contention-store.js';
import { DynamoCheckpointStore } from '../../stock/store/dynamo-checkpoint-store.js';
import { DynamoLedgerStore } from '../../stock/store/dynamo-ledger-store.js';
import { DynamoLevelStore } from '../../stock/store/dynamo-level-store.js';
import { DynamoShardRegistryStore } from '../../stock/store/dynamo-shard-registry-store.js';
import type { LedgerStore } from '../../stock/store/ledger-store.js';
import type { LevelStore } from '../../stock/store/level-store.js';
import type { ShardRegistryStore } from '../../stock/store/shard-registry-store.js';
import { DynamoIdempotencyStore } from '../store/dynamo-idempotency-store.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import { type DynamoStoreOptions, storeContext } from '../store/store-context.js';

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
  readonly listings: ListingStore;
  readonly batches: BatchStore;
  readonly checkpoints: CheckpointStore;
  readonly changes: ChangeFeedStore;
  readonly analytics: AnalyticsStore;
  /** Contention recorded by the reserve path, for automatic sharding (ADR 30). */
  readonly contention: ContentionStore;
  /** The registry of sharded levels, as its repair sees it (ADR 43). */
  readonly shardRegistry: ShardRegistryStore;
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
    listings: new DynamoListingStore(ctx),
    batches: new DynamoBatchStore(ctx),
    checkpoints: new DynamoCheckpointStore(ctx),
    changes: new DynamoChangeFeedStore(ctx),
    analytics: new DynamoAnalyticsStore(ctx),
    contention: new DynamoContentionStore(ctx),
    shardRegistry: new DynamoShardRegistryStore(ctx),
  };
}
