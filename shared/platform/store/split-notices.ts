/**
 * What this process knows of the splits the auto-sharding job has announced (ADR 36). The job writes a split it is
 * about to make on the level's contention item; a process learns it from the answer to its next contention flush
 * (platform/store/contention.ts), which only processes contended on the level make. While a split it knows of is
 * pending, the process's reserves of the level step back (a 503 with Retry-After, nothing sent), so that the
 * split's transactions find the hot shards' partitions free; the step back ends when the level's shard map shows
 * the new count (read again at most once per `checkEveryMs`) or when the notice expires.
 */
export interface PendingSplit {
  /** The shard count the split makes. */
  readonly to: number;
  /** Whether the level's shard map is due to be read again, to learn whether the split has landed. */
  readonly due: boolean;
}

interface Notice {
  readonly to: number;
  readonly until: number;
  nextCheck: number;
}

export class SplitNotices {
  private readonly notices = new Map<string, Notice>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly checkEveryMs = 1_000,
  ) {}

  /** A split of the level to `to` shards announced until `until` (epoch ms). */
  learn(tableName: string, sku: string, locationId: string, to: number, until: number): void {
    const key = keyOf(tableName, sku, locationId);
    if (this.notices.get(key)?.to === to) return;
    if (this.notices.size > 10_000) this.notices.clear();
    this.notices.set(key, { to, until, nextCheck: 0 });
  }

  forget(tableName: string, sku: string, locationId: string): void {
    this.notices.delete(keyOf(tableName, sku, locationId));
  }

  /** The level's pending split, if one is known and not expired; asking when `due` starts the next wait. */
  pending(tableName: string, sku: string, locationId: string): PendingSplit | undefined {
    if (this.notices.size === 0) return undefined;
    const key = keyOf(tableName, sku, locationId);
    const notice = this.notices.get(key);
    if (!notice) return undefined;
    const now = this.now();
    if (notice.until <= now) {
      this.notices.delete(key);
      return undefined;
    }
    const due = notice.nextCheck <= now;
    if (due) notice.nextCheck = now + this.checkEveryMs;
    return { to: notice.to, due };
  }
}

const keyOf = (tableName: string, sku: string, locationId: string) => `${tableName}|${sku}#${locationId}`;

/** The process's notices, filled by the contention flush. */
export const splitNotices = new SplitNotices();
