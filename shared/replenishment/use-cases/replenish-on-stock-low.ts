import { parseDomainEvent } from '../../events/catalogue.js';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { UseCaseDeps } from '../../platform/use-cases/context.js';
import { type OpenRequestResult, openReplenishmentRequest } from './replenishment.js';

/**
 * The replenishment consumer of the bus (rule `EVENT_RULES.replenishment`), as a plain function of a delivered
 * event (`source`, `detail-type`, `detail` and envelope fields): the Lambda target of the rule in the cloud
 * (functions/replenish-on-stock-low.ts), the rule's target on the local bus. Idempotent, because buses deliver
 * at least once.
 * 1. Parse the event with the catalogue; an event that is not a valid StockLow is refused (thrown), so that it
 *    is retried and then dead-lettered rather than silently lost.
 * 2. Open a replenishment request for its level unless one is open (openReplenishmentRequest).
 */
export function replenishOnStockLow(deps: UseCaseDeps) {
  return async (event: unknown): Promise<OpenRequestResult> => {
    const parsed = parseDomainEvent(event);
    if (parsed['detail-type'] !== 'StockLow') {
      throw new Error(`replenishment consumes StockLow, not ${parsed['detail-type']}`);
    }
    // The catalogue's schema checked the identifiers' syntax.
    const { sku, locationId } = parsed.detail;
    return openReplenishmentRequest(deps, {
      ...parsed.detail,
      sku: sku as Sku,
      locationId: locationId as LocationId,
    });
  };
}
