import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type {
  CancelReplenishmentCommand,
  OpenReplenishmentCommand,
  ReceiveReplenishmentCommand,
} from '../../platform/store/commands.js';
import type { WriteOutcome } from '../../stock/store/level-store.js';
import type { ReplenishmentRequest, ReplenishmentState } from '../domain/replenishment.js';

export type OpenReplenishmentOutcome =
  /** The request was opened now. */
  | { readonly kind: 'opened' }
  /** This very request was opened before (a duplicate StockLow): nothing changed. */
  | { readonly kind: 'replay' }
  /** Another request is open for the level: nothing changed. */
  | { readonly kind: 'already-open'; readonly open: ReplenishmentRequest };

export interface ReplenishmentQuery {
  readonly state: ReplenishmentState;
  /** Both or neither: the requests of one level, or of every level (from the `replenishments` index). */
  readonly sku: Sku | null;
  readonly locationId: LocationId | null;
  readonly limit: number;
  readonly cursor: string | null;
}

export interface ReplenishmentPage {
  readonly requests: readonly ReplenishmentRequest[];
  readonly nextCursor: string | null;
}

/**
 * Storage of replenishment requests: at most one open per level (its fixed key), closed ones kept in the level's
 * partition; opening, receiving against and cancelling one are each one transaction.
 */
export interface ReplenishmentStore {
  openReplenishment(cmd: OpenReplenishmentCommand): Promise<OpenReplenishmentOutcome>;
  /** Receives against an open request as read; `changed` when the request is no longer as read. */
  receiveReplenishment(cmd: ReceiveReplenishmentCommand): Promise<WriteOutcome | 'changed'>;
  /** Cancels an open request as read; false when the request is no longer as read. */
  cancelReplenishment(cmd: CancelReplenishmentCommand): Promise<boolean>;
  /** The open request of a level (strongly consistent). */
  getOpenReplenishment(sku: Sku, locationId: LocationId): Promise<ReplenishmentRequest | null>;
  /** A request of a level, open or closed (strongly consistent). */
  getReplenishment(sku: Sku, locationId: LocationId, requestId: string): Promise<ReplenishmentRequest | null>;
  listReplenishments(query: ReplenishmentQuery): Promise<ReplenishmentPage>;
}
