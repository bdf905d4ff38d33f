/** What is remembered of a keyed operation's first request: its fingerprint and the movements it wrote. */
export interface RememberedRequest {
  readonly requestHash: string;
  readonly movementIds: readonly string[];
}

/** The idempotency records that keyed stock operations write in their transactions. */
export interface IdempotencyStore {
  /** The first request of a keyed operation, if it is still remembered (strongly consistent). */
  getRemembered(hashedKey: string): Promise<RememberedRequest | null>;
}
