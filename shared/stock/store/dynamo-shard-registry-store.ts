import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { isContentionCode } from '../../platform/store/failure-mapping.js';
import { getItem, type StoreContext } from '../../platform/store/store-context.js';
import {
  buildShardRegistryGet,
  buildShardRegistryRepair,
  levelOfRegistryName,
  SHARD_REGISTRY_BUCKETS,
  shardMapsOf,
} from './requests/shard-registry.js';
import type { ShardMap } from './shard-directory.js';
import type { RegistryEntry, RegistryRepairOutcome, ShardRegistryStore } from './shard-registry-store.js';

/** The DynamoDB implementation of ShardRegistryStore. */
export class DynamoShardRegistryStore implements ShardRegistryStore {
  constructor(private readonly ctx: StoreContext) {}

  async listEntries(): Promise<RegistryEntry[]> {
    const buckets = await Promise.all(
      Array.from({ length: SHARD_REGISTRY_BUCKETS }, (_, bucket) =>
        getItem(this.ctx, buildShardRegistryGet(this.ctx.tableName, bucket, { consistent: true })),
      ),
    );
    return buckets.flatMap((item) =>
      [...shardMapsOf(item ?? undefined)].map(([name, map]) => ({ ...levelOfRegistryName(name), map })),
    );
  }

  async repairEntry(sku: Sku, locationId: LocationId, map: ShardMap): Promise<RegistryRepairOutcome> {
    try {
      await this.ctx.client.send(
        new TransactWriteCommand({
          ...buildShardRegistryRepair(this.ctx.tableName, sku, locationId, map),
          ClientRequestToken: randomUUID(),
        }),
      );
      return 'repaired';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      // The check on shard 0 is the transaction's first item: the level moved on since it was read.
      if (codes[0] === 'ConditionalCheckFailed') return 'moved-on';
      if (codes.some(isContentionCode)) return 'contended';
      throw error;
    }
  }
}
