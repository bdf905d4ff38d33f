import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type LocationId, parseLocationId, parseSku, type Sku } from '../../kernel/identifiers.js';
import { contentionBuckets, contentionKey } from '../../platform/store/contention.js';
import type { StoreContext } from '../../platform/store/store-context.js';

/** A level's contention record (platform/store/contention.ts) as the auto-sharding job reads it. */
export interface LevelContention {
  readonly sku: Sku;
  readonly locationId: LocationId;
  /** Contended writes recorded since the record was made. */
  readonly contended: number;
  /** When contention was last recorded (epoch ms). */
  readonly lastContendedAt: number;
  /** `contended` when the job last looked, and when (null: never). */
  readonly checked: { readonly contended: number; readonly at: number } | null;
  /** When the job last changed the level's shard count (null: never). */
  readonly reshardedAt: number | null;
}

/** A split the job is about to make, announced to the level's buyers until `until` (ADR 36). */
export interface SplitAnnouncement {
  readonly to: number;
  readonly until: number;
}

export interface ContentionStore {
  /** Levels with contention recorded since `sinceMs`. */
  listContended(sinceMs: number): Promise<LevelContention[]>;
  /**
   * Records what the job saw (and whether it resharded, and the split it announces if it splits), unless another
   * run recorded since (false then).
   */
  markChecked(
    record: LevelContention,
    nowMs: number,
    resharded: boolean,
    split?: SplitAnnouncement,
  ): Promise<boolean>;
  /** Withdraws the level's split announcement (the split landed, or gave up). */
  endSplit(record: LevelContention): Promise<void>;
}

export class DynamoContentionStore implements ContentionStore {
  constructor(private readonly ctx: StoreContext) {}

  async listContended(sinceMs: number): Promise<LevelContention[]> {
    const keys = await Promise.all(
      contentionBuckets().map(async (bucket) => {
        const { Items } = await this.ctx.client.send(
          new QueryCommand({
            TableName: this.ctx.tableName,
            IndexName: 'expiry',
            KeyConditionExpression: 'expiryBucket = :b AND expiresAt >= :since',
            ExpressionAttributeValues: { ':b': bucket, ':since': sinceMs },
          }),
        );
        return (Items ?? []).map((i) => ({ sku: String(i.sku), locationId: String(i.locationId) }));
      }),
    );
    const records = await Promise.all(
      keys.flat().map(async ({ sku, locationId }) => {
        const { Item } = await this.ctx.client.send(
          new GetCommand({
            TableName: this.ctx.tableName,
            Key: contentionKey(sku, locationId),
            ConsistentRead: true,
          }),
        );
        return Item ? [toContention(Item)] : [];
      }),
    );
    return records.flat();
  }

  async markChecked(
    record: LevelContention,
    nowMs: number,
    resharded: boolean,
    split?: SplitAnnouncement,
  ): Promise<boolean> {
    const sets = ['checkedContended = :c', 'checkedAt = :now'];
    if (resharded) sets.push('reshardedAt = :now');
    if (split) sets.push('splitTo = :to', 'splitUntil = :until');
    try {
      await this.ctx.client.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: contentionKey(record.sku, record.locationId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: record.checked ? 'checkedAt = :previous' : 'attribute_not_exists(checkedAt)',
          ExpressionAttributeValues: {
            ':c': record.contended,
            ':now': nowMs,
            ...(record.checked ? { ':previous': record.checked.at } : {}),
            ...(split ? { ':to': split.to, ':until': split.until } : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async endSplit(record: LevelContention): Promise<void> {
    await this.ctx.client.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: contentionKey(record.sku, record.locationId),
        UpdateExpression: 'REMOVE splitTo, splitUntil',
      }),
    );
  }
}

function toContention(item: Record<string, unknown>): LevelContention {
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const checkedAt = num(item.checkedAt);
  return {
    sku: parseSku(String(item.sku)),
    locationId: parseLocationId(String(item.locationId)),
    contended: num(item.contended) ?? 0,
    lastContendedAt: num(item.expiresAt) ?? 0,
    checked: checkedAt === null ? null : { contended: num(item.checkedContended) ?? 0, at: checkedAt },
    reshardedAt: num(item.reshardedAt),
  };
}
