import { ConfigurationError } from '../platform/config/service-config.js';
import { coldStart } from '../platform/runtime/deps.js';
import { readEnvironment } from '../platform/runtime/environment.js';
import { storeContext } from '../platform/store/store-context.js';
import { ManagementApiGateway } from './adapters/management-api-gateway.js';
import { DynamoLiveStore } from './store/dynamo-live-store.js';
import type { LiveDeps } from './use-cases/live-deps.js';

/** The variable that names the `@connections` endpoint of the WebSocket API's stage (`https://.../{stage}`). */
export const LIVE_MANAGEMENT_ENDPOINT = 'LIVE_MANAGEMENT_ENDPOINT';

export function readManagementEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  const endpoint = env[LIVE_MANAGEMENT_ENDPOINT];
  if (!endpoint || !/^https?:\/\/[^/]+\/[A-Za-z0-9_-]+$/.test(endpoint)) {
    throw new ConfigurationError([
      `${LIVE_MANAGEMENT_ENDPOINT} must be the stage's @connections endpoint (https://{api}.execute-api.{region}.amazonaws.com/{stage})`,
    ]);
  }
  return endpoint;
}

let deps: LiveDeps | undefined;

/**
 * The live feed's dependencies, built once per cold start of a live function: the process's store client and
 * clock (coldStart), the live store on the same table, the management API of the stage, the configured bounds.
 */
export function liveColdStart(): LiveDeps {
  if (deps) return deps;
  const runtime = coldStart();
  const { tableName } = readEnvironment(process.env);
  deps = {
    live: new DynamoLiveStore(storeContext({ client: runtime.client, tableName })),
    levels: runtime.deps.levels,
    listings: runtime.deps.listings,
    locations: runtime.deps.locations,
    gateway: new ManagementApiGateway(readManagementEndpoint(process.env)),
    clock: runtime.deps.clock,
    limits: runtime.config.live,
  };
  return deps;
}
