import type { GetCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../../kernel/identifiers.js';
import type { Key } from '../../../platform/store/keys.js';
import type { Item } from '../../../platform/store/records.js';
import type { FeedChange, LevelChange } from '../../domain/change.js';
import { levelShardOf } from '../../domain/change.js';

/**
 * The change feed's items (docs/data-model.md, "Change feed"):
 * - the head `CHANGES#HEAD / HEAD`: `seq`, the last position given;
 * - entries `CHANGES#{seq mod FEED_PARTITIONS} / {seq, 16 digits}`: one per change, spread over partitions so
 *   that appending is no single-partition hot spot; read by exact key, since positions are dense;
 * - per level shard `CHANGES#FED#{sku}#{loc}#{shard} / FED`: `fedVersion`, the last version appended, which makes
 *   a redelivered stream record a no-op.
 */
export const FEED_PARTITIONS = 16;
/** A transaction holds at most 100 items: the head, then at most 2 items per change (entry, fed marker). */
export const MAX_CHANGES_PER_APPEND = 49;

export const FEED_HEAD_KEY: Key = { pk: 'CHANGES#HEAD', sk: 'HEAD' };

export const feedEntryKey = (seq: number): Key => ({
  pk: `CHANGES#${seq % FEED_PARTITIONS}`,
  sk: String(seq).padStart(16, '0'),
});

export const fedMarkerKey = (sku: Sku, locationId: LocationId, shard: number): Key => ({
  pk: `CHANGES#FED#${sku}#${locationId}#${shard}`,
  sk: 'FED',
});

export function buildHeadGet(tableName: string): GetCommandInput {
  return { TableName: tableName, Key: FEED_HEAD_KEY, ConsistentRead: true };
}

/** What each item of an append transaction is, to explain a cancellation reason by its index. */
export type AppendItemRole =
  | { readonly kind: 'head' }
  | { readonly kind: 'entry'; readonly seq: number }
  | {
      readonly kind: 'fed';
      readonly levelShard: string;
    };

export interface PlannedAppend {
  readonly input: TransactWriteCommandInput;
  readonly roles: readonly AppendItemRole[];
}

export function feedEntryItem(change: FeedChange): Item {
  return { ...feedEntryKey(change.seq), kind: 'Change', ...change };
}

/**
 * Appends `changes` at positions head+1, head+2, ... in one transaction:
 * - the head moves from `head` to `head + n`, under the condition that it is still `head` (compare-and-set:
 *   two appenders never take the same positions, and position p+1 is never written before p exists);
 * - each entry is put where nothing is (`attribute_not_exists(pk)`);
 * - each level shard's marker moves to its last version appended, under the condition that it is right before
 *   the first (`nextInLine`): a change appended once is never appended again, and a change whose predecessor the
 *   feed lacks is refused rather than let a gap in (the stream delivers each item's records in order, so neither
 *   happens unless a record is delivered again, or was lost).
 */
export function buildAppend(tableName: string, head: number, changes: readonly LevelChange[]): PlannedAppend {
  if (changes.length === 0 || changes.length > MAX_CHANGES_PER_APPEND)
    throw new RangeError(`an append holds 1 to ${MAX_CHANGES_PER_APPEND} changes`);
  const next = head + changes.length;
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
  const roles: AppendItemRole[] = [];
  items.push({
    Update: {
      TableName: tableName,
      Key: FEED_HEAD_KEY,
      UpdateExpression: 'SET #seq = :next, #kind = :kind',
      ConditionExpression: head === 0 ? 'attribute_not_exists(pk)' : '#seq = :head',
      ExpressionAttributeNames: { '#seq': 'seq', '#kind': 'kind' },
      ExpressionAttributeValues: {
        ':next': next,
        ':kind': 'ChangeFeedHead',
        ...(head === 0 ? {} : { ':head': head }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });
  roles.push({ kind: 'head' });
  changes.forEach((change, i) => {
    const seq = head + 1 + i;
    items.push({
      Put: {
        TableName: tableName,
        Item: feedEntryItem({ ...change, seq }),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    roles.push({ kind: 'entry', seq });
  });
  for (const [levelShard, versions] of versionsByLevelShard(changes)) {
    const first = versions[0] as LevelChange;
    const last = versions.at(-1) as LevelChange;
    items.push({
      Update: {
        TableName: tableName,
        Key: fedMarkerKey(first.sku, first.locationId, first.shard),
        UpdateExpression: 'SET fedVersion = :last, #kind = :kind',
        // nextInLine: the feed holds this level shard up to the version right before the first change here.
        ConditionExpression: 'attribute_not_exists(fedVersion) OR fedVersion = :previous',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':last': last.version,
          ':previous': first.version - 1,
          ':kind': 'ChangeFeedLevel',
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
    roles.push({ kind: 'fed', levelShard });
  }
  return { input: { TransactItems: items }, roles };
}

/** The changes of each level shard, in the order given. */
export function versionsByLevelShard(changes: readonly LevelChange[]): Map<string, LevelChange[]> {
  const byShard = new Map<string, LevelChange[]>();
  for (const change of changes) {
    const key = levelShardOf(change);
    const list = byShard.get(key) ?? [];
    list.push(change);
    byShard.set(key, list);
  }
  return byShard;
}

/** Changes of one batch that a level shard's marker shows appended already are dropped. */
export function withoutFed(changes: readonly LevelChange[], fed: ReadonlyMap<string, number>): LevelChange[] {
  return changes.filter((c) => c.version > (fed.get(levelShardOf(c)) ?? 0));
}

/** The exact keys of positions after+1 .. last (at most 100), for one strongly consistent BatchGetItem. */
export function rangeKeys(after: number, last: number): Key[] {
  const keys: Key[] = [];
  for (let seq = after + 1; seq <= last && keys.length < 100; seq++) keys.push(feedEntryKey(seq));
  return keys;
}
