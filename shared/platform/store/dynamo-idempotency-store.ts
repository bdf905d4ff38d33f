import type { IdempotencyStore, RememberedRequest } from './idempotency-store.js';
import { idempotencyKey } from './keys.js';
import { buildGet } from './requests/reads.js';
import { getItem, type StoreContext } from './store-context.js';

/** The DynamoDB implementation of IdempotencyStore. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(private readonly ctx: StoreContext) {}

  async getRemembered(hashedKey: string): Promise<RememberedRequest | null> {
    const item = await getItem(this.ctx, buildGet(this.ctx.tableName, idempotencyKey(hashedKey)));
    if (!item) return null;
    const result = item.result as { movementIds?: unknown } | undefined;
    return {
      requestHash: String(item.requestHash),
      movementIds: Array.isArray(result?.movementIds) ? result.movementIds.map(String) : [],
    };
  }
}
