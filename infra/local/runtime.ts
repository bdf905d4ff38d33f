import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ROUTE_TABLE } from '../../shared/http/route-table.js';
import { CART_STATE_MACHINE_ARN } from '../../shared/runtime/environment.js';
import type { DevSigningKey } from './dev-keys.js';
import { LocalHttpApi } from './http-api.js';
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
  /** Service settings (see shared/config/service-config.ts), as environment variables. */
  readonly settings?: Readonly<Record<string, string>>;
  /** More local stand-ins to run beside the HTTP API (started after it, stopped before it). */
  readonly services?: readonly LocalService[];
}

export interface LocalRuntime {
  readonly url: string;
  readonly table: TableChange;
  /** The Step Functions stand-in that runs the stack's state machines (the cart saga). */
  readonly stepFunctions: LocalStepFunctions;
  stop(): Promise<void>;
}

const LOCAL_REGION = 'us-east-1';

/** Where the stack defines the cart saga's state machine (InventoryStack's CartSaga, its StateMachine). */
export const CART_SAGA_CONSTRUCT_PATH = 'CartSaga/StateMachine';

/**
 * Points the AWS SDK at DynamoDB Local the standard way (`AWS_ENDPOINT_URL_DYNAMODB`, a region and dummy
 * credentials) and sets the handlers' environment, so the handler code runs exactly as deployed. Handler
 * modules keep what they read at their cold start, so one process serves one table (and one Step Functions
 * stand-in).
 */
function configureEnvironment(options: LocalRuntimeOptions): void {
  const wanted: Record<string, string> = {
    TABLE_NAME: options.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...options.settings,
  };
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
 * table, and any other local services. For `npm start`, the end-to-end tests and the benchmark. The stand-in
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
  const stepFunctions = new LocalStepFunctions({ region: process.env.AWS_REGION ?? LOCAL_REGION });
  const api = new LocalHttpApi({
    routes: ROUTE_TABLE,
    signingKey: options.signingKey,
    port: options.port,
    host: options.host ?? '127.0.0.1',
  });
  const services: LocalService[] = [api, ...(options.services ?? [])];
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
    for (const service of services) {
      await service.start();
      started.push(service);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: api.url, table, stepFunctions, stop };
}
