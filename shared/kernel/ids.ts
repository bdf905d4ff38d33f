import { randomFillSync } from 'node:crypto';
import { decodeTime, encodeTime, monotonicFactory } from 'ulidx';
import { deterministicId } from './fingerprint.js';

/** Where new ids come from: ULIDs, time-ordered, so that a ledger sorts by time. Injectable for tests. */
export interface IdSource {
  next(): string;
}

/**
 * Cryptographic random numbers in [0, 1) drawn from a pool refilled 4 KB at a time: ulidx's default asks the
 * system for one byte per character (16 calls per id).
 */
function pooledRandom(): () => number {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return () => {
    if (next >= pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] as number) / 2 ** 32;
  };
}

export function ulidSource(clock: { now(): number } = { now: () => Date.now() }): IdSource {
  const ulid = monotonicFactory(pooledRandom());
  return { next: () => ulid(clock.now()) };
}

/**
 * A ULID whose time part is `timeMs` and whose random part is derived from `parts`: sorts with the ledger by
 * time, and is the same for the same parts, so that a duplicate delivery collides with the first write.
 */
export function deterministicUlid(timeMs: number, ...parts: readonly string[]): string {
  return `${encodeTime(timeMs, 10)}${deterministicId(...parts).slice(0, 16)}`;
}

/** The id of the i-th movement of a change spread over several shards: derived from the first one's id. */
export function partMovementId(firstMovementId: string, index: number): string {
  return index === 0
    ? firstMovementId
    : deterministicUlid(decodeTime(firstMovementId), firstMovementId, String(index));
}
