import type { Clock } from '../../kernel/clock.js';
import type { ListingStore } from '../../listings/store/listing-store.js';
import type { LocationStore } from '../../locations/store/location-store.js';
import type { LiveLimits } from '../../platform/config/service-config.js';
import type { LevelStore } from '../../stock/store/level-store.js';
import type { LiveStore } from '../store/live-store.js';
import type { ConnectionGateway } from './connection-gateway.js';

/** What the live feed's use cases need: its store, the levels to read, the connections to post to, its bounds. */
export interface LiveDeps {
  readonly live: LiveStore;
  readonly levels: Pick<LevelStore, 'getLevel' | 'getAvailability'>;
  /** A location's levels, page by page, for its snapshot. */
  readonly listings: Pick<ListingStore, 'levelsAt'>;
  readonly locations: Pick<LocationStore, 'getLocation'>;
  readonly gateway: ConnectionGateway;
  readonly clock: Clock;
  readonly limits: LiveLimits;
}

/** API Gateway closes a WebSocket connection after two hours, whatever happens on it. */
export const MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;
