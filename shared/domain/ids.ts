import { encodeTime, monotonicFactory } from 'ulidx';
import { deterministicId } from './fingerprint.js';

/** Where new ids come from: ULIDs, time-ordered, so that a ledger sorts by time. Injectable for tests. */
export interface IdSource {
  next(): string;
}

export function ulidSource(clock: { now(): number } = { now: () => Date.now() }): IdSource {
  const ulid = monotonicFactory();
  return { next: () => ulid(clock.now()) };
}

/**
 * A ULID whose time part is `timeMs` and whose random part is derived from `parts`: sorts with the ledger by
 * time, and is the same for the same parts, so that a duplicate delivery collides with the first write.
 */
export function deterministicUlid(timeMs: number, ...parts: readonly string[]): string {
  return `${encodeTime(timeMs, 10)}${deterministicId(...parts).slice(0, 16)}`;
}
