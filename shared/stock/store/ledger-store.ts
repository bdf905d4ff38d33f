import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { Movement } from '../domain/movement.js';

export interface MovementPage {
  readonly movements: readonly Movement[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor: string | null;
  readonly order: 'asc' | 'desc';
}

/** A level shard's key, as a scan of level items finds it. */
export interface LevelShardRef {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
}

export interface LevelShardScanPage {
  readonly shards: readonly LevelShardRef[];
  readonly nextCursor: string | null;
}

/** Where a movement is: its level shard's ledger and its id. */
export interface MovementRef {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly shard: number;
  readonly movementId: string;
}

/**
 * The ledger: every movement of every level shard, written by the stock changes in their transactions; read
 * for paging, replay and reconciliation.
 */
export interface LedgerStore {
  /** Pages through a level's ledger, its shards' ledgers merged in movement-id (time) order. */
  listMovements(sku: Sku, locationId: LocationId, page: PageRequest): Promise<MovementPage>;
  /** Every movement of a level, for replay and reconciliation. */
  allMovements(sku: Sku, locationId: LocationId): Promise<Movement[]>;
  /** Every movement of one level shard's ledger (strongly consistent). */
  shardMovements(sku: Sku, locationId: LocationId, shard: number): Promise<Movement[]>;
  /** A level shard's ledger from the movement id `boundary` on (strongly consistent); all of it when empty. */
  shardMovementsFrom(sku: Sku, locationId: LocationId, shard: number, boundary: string): Promise<Movement[]>;
  /** One movement of a level shard's ledger (strongly consistent). */
  getMovement(sku: Sku, locationId: LocationId, shard: number, movementId: string): Promise<Movement | null>;
  /** Movements of level shards' ledgers (strongly consistent, 100 a request): those found, by movement id. */
  getMovements(refs: readonly MovementRef[]): Promise<Map<string, Movement>>;
  /** A page of every level shard of the table: a filtered Scan, for batch jobs (reconciliation) only. */
  scanLevelShards(cursor: string | null, limit: number): Promise<LevelShardScanPage>;
}
