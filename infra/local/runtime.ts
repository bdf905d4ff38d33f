import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { CART_STATE_MACHINE_ARN } from '../../shared/platform/runtime/environment.js';
import { POWERTOOLS_ENVIRONMENT } from '../function-environment.js';
import type { DevSigningKey } from './dev-keys.js';
import type { LocalEventBus } from './event-bus.js';
import { type EventPipelineOptions, eventPipelineService } from './event-pipeline.js';
import { eventsRoute } from './events-route.js';
import { LocalHttpApi, type LocalSite } from './http-api.js';
import { LocalLiveApi } from './live-api.js';
import type { LocalService } from './local-service.js';
import { LocalStepFunctions } from './step-functions.js';
import { ensureTable, type TableChange } from './table.js';

export interface LocalRuntimeOptions {
  /** 0 for any free port. */
  readonly port: number;
  readonly host?: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly signingKey: DevSigningKey;
  /** Service settings (see shared/platform/config/service-config.ts), as environment variables. */
  readonly settings?: Readonly<Record<string, string>>;
  /** More local stand-ins to run beside the HTTP API (started after it, stopped before it). */
  readonly services?: readonly LocalService[];
  /**
   * The event pipeline (the table's stream → the enrichment → the in-process bus → replenishment) and
   * `GET /events`; on unless `false` (a runtime that needs no events is faster without its polling).
   */
  readonly events?: LocalEventsOptions | false;
  /**
   * The WebSocket API of live stock (docs/live.md) on its own port, with its `@connections` stand-in; off unless
   * given. Its deltas need the event pipeline.
   */
  readonly live?: LocalLiveOptions;
  /** Static sites served beside the API (the operator console: infra/local/console-site.ts). */
  readonly sites?: readonly LocalSite[];
}

export interface LocalLiveOptions {
  /** 0 for any free port. */
  readonly port: number;
  readonly idleTimeoutMs?: number;
  readonly maxConnectionMs?: number;
}

export interface LocalEventsOptions {
  /**
   * Where the pipeline starts reading the stream: TRIM_HORIZON (the default: everything the stream still
   * holds, so that nothing written while the runtime was stopped is missed; replay is safe because threshold
   * events are decided once on the level's alert item and the consumers are idempotent) or LATEST.
   */
  readonly startAt?: EventPipelineOptions['startAt'];
  readonly intervalMs?: number;
  /** Append every event, as one JSON line, to this file. */
  readonly logFile?: string;
  /** How many of the latest events `GET /events` can show. */
  readonly historySize?: number;
  readonly wrapDelivery?: EventPipelineOptions['wrapDelivery'];
}

/** The running event pipeline, for tests and tools. */
export interface LocalEvents {
  /** The bus the pipeline publishes to (null before it starts). */
  bus(): LocalEventBus | null;
  /** Processes everything the stream holds so far, consumers' own writes included. */
  drain(): Promise<void>;
}

export interface LocalRuntime {
  readonly url: string;
  readonly table: TableChange;
  /** The Step Functions stand-in that runs the stack's state machines (the cart saga). */
  readonly stepFunctions: LocalStepFunctions;
  /** The event pipeline, or null when the runtime runs without it. */
  readonly events: LocalEvents | null;
  /** The WebSocket API of live stock, or null when the runtime runs without it. */
  readonly live: LocalLiveApi | null;
  stop(): Promise<void>;
}

const LOCAL_REGION = 'us-east-1';

/** Where the stack defines the cart saga's state machine (InventoryStack's CartSaga, its StateMachine). */
export const CART_SAGA_CONSTRUCT_PATH = 'CartSaga/StateMachine';

/**
 * The environment the local runtime gives its handlers (the benchmark's handler host gives the same):
 * DynamoDB Local as the SDK's endpoint, a region, dummy credentials, the table and the service's settings.
 */
export function localFunctionEnvironment(
  options: Pick<LocalRuntimeOptions, 'tableName' | 'dynamoEndpoint' | 'settings'>,
): Record<string, string> {
  return {
    TABLE_NAME: options.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...POWERTOOLS_ENVIRONMENT,
    ...options.settings,
  };
}

/**
 * Points the AWS SDK at DynamoDB Local the standard way (`AWS_ENDPOINT_URL_DYNAMODB`, a region and dummy
 * credentials) and sets the handlers' environment, so the handler code runs exactly as deployed. Handler
 * modules keep what they read at their cold start, so one process serves one table (and one Step Functions
 * stand-in).
 */
function configureEnvironment(options: LocalRuntimeOptions): void {
  const wanted = localFunctionEnvironment(options);
  const configured = process.env.INVENTORY_LOCAL_RUNTIME;
  const signature = JSON.stringify(wanted);
  if (configured && configured !== signature) {
    throw new Error('this process already runs a local runtime with another table or settings');
  }
  Object.assign(process.env, wanted, { INVENTORY_LOCAL_RUNTIME: signature });
}

/**
 * The whole service in this process: the table made sure of, the Step Functions stand-in (its endpoint and the
 * cart saga's ARN set in the environment before any handler's cold start), the HTTP API served from the route
 * table, `GET /events` and the event pipeline (unless `events: false`), and any other local services. For
 * `npm start`, the end-to-end tests and the benchmark. The stand-in
 * synthesizes the stack only when a state machine first runs, so a runtime that runs none pays nothing for it.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  configureEnvironment(options);
  const admin = new DynamoDBClient({});
  let table: TableChange;
  try {
    table = await ensureTable(admin, options.tableName);
  } finally {
    admin.destroy();
  }
  const region = process.env.AWS_REGION ?? LOCAL_REGION;
  const stepFunctions = new LocalStepFunctions({ region });
  let pipeline: ReturnType<typeof eventPipelineService> | null = null;
  const api = new LocalHttpApi({
    routes: ROUTE_TABLE,
    localRoutes: options.events === false ? [] : [eventsRoute(() => pipeline?.bus() ?? null)],
    signingKey: options.signingKey,
    ...(options.sites ? { sites: options.sites } : {}),
    port: options.port,
    host: options.host ?? '127.0.0.1',
  });
  const services: LocalService[] = [api, ...(options.services ?? [])];
  const live = options.live
    ? new LocalLiveApi({
        ...options.live,
        host: options.host ?? '127.0.0.1',
        signingKey: options.signingKey,
        bus: () => pipeline?.bus() ?? null,
      })
    : null;
  const started: LocalService[] = [];
  const stop = async () => {
    for (const service of started.splice(0).reverse()) await service.stop();
  };
  try {
    await stepFunctions.start();
    started.push(stepFunctions);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
      [CART_STATE_MACHINE_ARN]: stepFunctions.arnOf(CART_SAGA_CONSTRUCT_PATH),
    });
    if (options.events !== false) {
      // Built once the environment is complete: the pipeline shares the handlers' dependencies.
      const started = eventPipeline(options, options.events ?? {}, region);
      pipeline = started;
      services.push({
        name: started.name,
        start: async () => {
          await started.start();
        },
        stop: () => started.stop(),
      });
    }
    if (live) services.push(live);
    for (const service of services) {
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const events = pipeline;
  return {
    url: api.url,
    table,
    stepFunctions,
    events: events ? { bus: () => events.bus(), drain: () => events.drain() } : null,
    live,
    stop,
  };
}

function eventPipeline(options: LocalRuntimeOptions, events: LocalEventsOptions, region: string) {
  return eventPipelineService({
    streamClientConfig: {
      endpoint: options.dynamoEndpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    tableName: options.tableName,
    deps: coldStart().deps,
    startAt: events.startAt ?? 'TRIM_HORIZON',
    ...(events.intervalMs !== undefined ? { intervalMs: events.intervalMs } : {}),
    ...(events.wrapDelivery ? { wrapDelivery: events.wrapDelivery } : {}),
    busOptions: {
      ...(events.logFile !== undefined ? { logFile: events.logFile } : {}),
      ...(events.historySize !== undefined ? { historySize: events.historySize } : {}),
    },
    onFailure: (records, error) =>
      console.error(`event pipeline: gave up on a batch of ${records.length} stream records`, error),
  });
}
