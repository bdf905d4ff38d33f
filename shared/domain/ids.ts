import { monotonicFactory } from 'ulidx';

/** Where new ids come from: ULIDs, time-ordered, so that a ledger sorts by time. Injectable for tests. */
export interface IdSource {
  next(): string;
}

export function ulidSource(clock: { now(): number } = { now: () => Date.now() }): IdSource {
  const ulid = monotonicFactory();
  return { next: () => ulid(clock.now()) };
}
