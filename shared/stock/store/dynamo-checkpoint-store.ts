import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { CHECKPOINT_DIRECTORY_PARTITIONS } from '../../platform/store/keys.js';
import type { Item } from '../../platform/store/records.js';
import { getItem, type StoreContext } from '../../platform/store/store-context.js';
import type { Checkpoint } from '../domain/checkpoint.js';
import { COUNTED_BUCKETS } from '../domain/stock-level.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { LevelShardRef } from './ledger-store.js';
import {
  buildCheckpointDirectoryPage,
  buildCheckpointGet,
  buildCheckpointPut,
  buildSweepGet,
  buildSweepPut,
} from './requests/checkpoints.js';

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function toCheckpoint(item: Item): Checkpoint {
  const buckets = (item.buckets ?? {}) as Record<string, unknown>;
  return {
    sku: item.sku as Sku,
    locationId: item.locationId as LocationId,
    shard: num(item.shard),
    boundary: typeof item.boundary === 'string' ? item.boundary : '',
    count: num(item.count),
    buckets: Object.fromEntries(
      COUNTED_BUCKETS.map((b) => [b, num(buckets[b])]),
    ) as unknown as Checkpoint['buckets'],
    verifiedVersion: num(item.verifiedVersion),
    verifiedAt: typeof item.verifiedAt === 'string' ? item.verifiedAt : null,
  };
}

/** The DynamoDB implementation of CheckpointStore. */
export class DynamoCheckpointStore implements CheckpointStore {
  constructor(private readonly ctx: StoreContext) {}

  async getCheckpoint(ref: LevelShardRef): Promise<Checkpoint | null> {
    const item = await getItem(this.ctx, buildCheckpointGet(this.ctx.tableName, ref));
    return item ? toCheckpoint(item) : null;
  }

  async saveCheckpoint(checkpoint: Checkpoint, options: { readonly first?: boolean } = {}): Promise<boolean> {
    try {
      await this.ctx.client.send(
        new PutCommand(buildCheckpointPut(this.ctx.tableName, checkpoint, options.first ?? false)),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listCheckpointedShards(): Promise<LevelShardRef[]> {
    const pages = await Promise.all(
      Array.from({ length: CHECKPOINT_DIRECTORY_PARTITIONS }, async (_, partition) => {
        const refs: LevelShardRef[] = [];
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await this.ctx.client.send(
            new QueryCommand(buildCheckpointDirectoryPage(this.ctx.tableName, partition, startKey)),
          );
          for (const item of page.Items ?? [])
            refs.push({
              sku: item.sku as Sku,
              locationId: item.locationId as LocationId,
              shard: num(item.shard),
            });
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return refs;
      }),
    );
    return pages.flat();
  }

  async getSweepCursor(): Promise<string | null> {
    const item = await getItem(this.ctx, buildSweepGet(this.ctx.tableName));
    return typeof item?.cursor === 'string' ? item.cursor : null;
  }

  async saveSweepCursor(cursor: string | null, at: string): Promise<void> {
    await this.ctx.client.send(new PutCommand(buildSweepPut(this.ctx.tableName, cursor, at)));
  }
}
