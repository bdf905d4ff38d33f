import type { LocationId, Sku } from '../domain/identifiers.js';
import type { UseCaseDeps } from '../use-cases/context.js';
import { type OpenRequestResult, openReplenishmentRequest } from '../use-cases/replenishment.js';
import { parseDomainEvent } from './catalogue.js';

/**
 * The bus's consumers, as plain functions of a delivered event (an EventBridge event: `source`,
 * `detail-type`, `detail` and envelope fields): the Lambda target of a rule in the cloud, a rule's target on
 * the local bus. Each is idempotent, because buses deliver at least once.
 */

/**
 * Replenishment (rule `EVENT_RULES.replenishment`): a StockLow opens a replenishment request for its level
 * unless one is open. An event that is not a valid StockLow is refused (thrown), so that it is retried and
 * then dead-lettered rather than silently lost.
 */
export function replenishmentConsumer(deps: UseCaseDeps) {
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
