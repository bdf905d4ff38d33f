import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Cart } from '../../carts/domain/cart.js';
import type { Reservation } from '../../holds/domain/reservation.js';
import type { LocationId, PrincipalId, Sku } from '../../kernel/identifiers.js';
import { type Key, levelKey } from '../../platform/store/keys.js';
import {
  LIST1,
  LIST2,
  type ListIndex,
  levelReservationsPartition,
  levelsAtPartition,
  lowStockPartition,
  ownerCartsPartition,
  ownerReservationsPartitions,
  SKU_CATALOGUE_PARTITION,
} from '../../platform/store/listing-keys.js';
import {
  type Item,
  toCart,
  toLevelShard,
  toReservation,
  toStockLevel,
} from '../../platform/store/records.js';
import { buildBatchGet } from '../../platform/store/requests/reads.js';
import { queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { LevelShard } from '../../stock/domain/level-shard.js';
import type { StockLevel } from '../../stock/domain/stock-level.js';
import { completeLevels } from '../../stock/store/level-shards.js';
import { buildSkuLevelsQuery } from '../../stock/store/requests/levels.js';
import type {
  AscendingFrom,
  CatalogueEntry,
  DescendingFrom,
  Listed,
  Listing,
  ListingStore,
} from './listing-store.js';
import { buildAscendingQuery, buildDescendingQuery } from './requests/listing-queries.js';

interface Row {
  readonly sortKey: string;
  readonly key: Key;
}

/** The DynamoDB implementation of ListingStore: a Query on a listing index, then BatchGetItem by key. */
export class DynamoListingStore implements ListingStore {
  constructor(private readonly ctx: StoreContext) {}

  levelsAt(locationId: LocationId, from: AscendingFrom): Promise<Listing<StockLevel>> {
    return this.levelListing(levelsAtPartition(locationId), locationId, from);
  }

  lowStockAt(locationId: LocationId, from: AscendingFrom): Promise<Listing<StockLevel>> {
    return this.levelListing(lowStockPartition(locationId), locationId, from);
  }

  async skuCatalogue(from: AscendingFrom): Promise<Listing<CatalogueEntry>> {
    // Rows are `{sku}#{locationId}`, one per level, a SKU's rows contiguous. Only the distinct SKUs are needed
    // (each SKU's levels are then read from its own partition), so reading resumes after the last SKU seen.
    const skus: Sku[] = [];
    let after = from.after;
    let more = true;
    while (more && skus.length <= from.limit) {
      const input = buildAscendingQuery(this.ctx.tableName, LIST2, SKU_CATALOGUE_PARTITION, {
        ...from,
        after,
        limit: (from.limit + 1 - skus.length) * 4,
      });
      const page = input ? await this.query(input, LIST2) : { rows: [], more: false };
      for (const row of page.rows) {
        const sku = row.sortKey.slice(0, row.sortKey.indexOf('#')) as Sku;
        if (skus.at(-1) !== sku) skus.push(sku);
      }
      more = page.more;
      after = skus.at(-1) ?? after;
    }
    const page = skus.slice(0, from.limit);
    const entries = await Promise.all(page.map((sku) => this.catalogueEntry(sku)));
    return {
      rows: page.map((sku, i) => ({ sortKey: sku, item: entries[i] ?? null })),
      more: more || skus.length > from.limit,
    };
  }

  reservationsOfOwner(ownerId: PrincipalId, from: DescendingFrom): Promise<Listing<Reservation>> {
    return this.newestFirst(LIST1, ownerReservationsPartitions(ownerId), from, toReservation);
  }

  reservationsOfLevel(
    sku: Sku,
    locationId: LocationId,
    shardSpan: number,
    from: DescendingFrom,
  ): Promise<Listing<Reservation>> {
    const partitions = Array.from({ length: Math.max(1, shardSpan) }, (_, shard) =>
      levelReservationsPartition(sku, locationId, shard),
    );
    return this.newestFirst(LIST2, partitions, from, toReservation);
  }

  cartsOfOwner(ownerId: PrincipalId, from: DescendingFrom): Promise<Listing<Cart>> {
    return this.newestFirst(LIST1, [ownerCartsPartition(ownerId)], from, toCart);
  }

  /** Rows whose sort key is a SKU at one location: the levels are read shard 0 first, then further shards. */
  private async levelListing(
    partition: string,
    locationId: LocationId,
    from: AscendingFrom,
  ): Promise<Listing<StockLevel>> {
    const input = buildAscendingQuery(this.ctx.tableName, LIST1, partition, from);
    if (!input) return { rows: [], more: false };
    const page = await this.query(input, LIST1);
    const skus = page.rows.map((r) => r.sortKey as Sku);
    const firsts = (await this.batchGet(skus.map((sku) => levelKey(sku, locationId, 0)))).map(toLevelShard);
    const levels = await completeLevels(this.ctx, firsts);
    const shardsOf = new Map<string, LevelShard[]>(levels.map((shards) => [shards[0]?.sku ?? '', shards]));
    return {
      rows: skus.map((sku) => {
        const shards = shardsOf.get(sku);
        return { sortKey: sku, item: shards ? toStockLevel(shards) : null };
      }),
      more: page.more,
    };
  }

  /** The SKU's levels: its partition holds every level's shard 0 (and first-seen time), then further shards. */
  private async catalogueEntry(sku: Sku): Promise<CatalogueEntry | null> {
    const items = await queryAll(this.ctx, buildSkuLevelsQuery(this.ctx.tableName, sku));
    if (items.length === 0) return null;
    let firstSeen: string | null = null;
    for (const item of items) {
      const created = typeof item.createdAt === 'string' ? item.createdAt : null;
      if (created && (firstSeen === null || created < firstSeen)) firstSeen = created;
    }
    const levels = await completeLevels(this.ctx, items.map(toLevelShard));
    return { sku, firstSeen, levels: levels.map(toStockLevel) };
  }

  /**
   * Newest first over several partitions of one index: each is queried from the same position and the rows
   * merged (the sort key is one total order in all of them), so one position resumes them all.
   */
  private async newestFirst<T>(
    index: ListIndex,
    partitions: readonly string[],
    from: DescendingFrom,
    decode: (item: Item) => T,
  ): Promise<Listing<T>> {
    const pages = await Promise.all(
      partitions.map((p) => this.query(buildDescendingQuery(this.ctx.tableName, index, p, from), index)),
    );
    const merged = pages
      .flatMap((p) => p.rows)
      .sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
    const rows = merged.slice(0, from.limit);
    const items = await this.batchGet(rows.map((r) => r.key));
    const found = new Map(items.map((item) => [`${item.pk}|${item.sk}`, item]));
    return {
      rows: rows.map((r): Listed<T> => {
        const item = found.get(`${r.key.pk}|${r.key.sk}`);
        return { sortKey: r.sortKey, item: item ? decode(item) : null };
      }),
      more: merged.length > rows.length || pages.some((p) => p.more),
    };
  }

  private async query(input: QueryCommandInput, index: ListIndex): Promise<{ rows: Row[]; more: boolean }> {
    const page = await this.ctx.client.send(new QueryCommand(input));
    return {
      rows: (page.Items ?? []).map((item) => ({
        sortKey: String(item[index.sk]),
        key: { pk: String(item.pk), sk: String(item.sk) },
      })),
      more: page.LastEvaluatedKey !== undefined,
    };
  }

  /** Reads items by key (strongly consistent), retrying unprocessed keys; missing items are left out. */
  private async batchGet(keys: readonly Key[]): Promise<Item[]> {
    const found: Item[] = [];
    let pending: Key[] = [...keys];
    for (let attempt = 0; pending.length > 0 && attempt < 8; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(400, 10 * 2 ** attempt)));
      const { Responses, UnprocessedKeys } = await this.ctx.client.send(
        new BatchGetCommand(buildBatchGet(this.ctx.tableName, pending)),
      );
      found.push(...(Responses?.[this.ctx.tableName] ?? []));
      const unprocessed = (UnprocessedKeys?.[this.ctx.tableName]?.Keys ?? []) as Key[];
      pending = [...unprocessed, ...pending.slice(100)];
    }
    if (pending.length > 0) throw new Error('BatchGetItem left keys unprocessed after 8 attempts');
    return found;
  }
}
