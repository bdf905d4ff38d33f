import { afterAll, beforeAll } from 'vitest';
import { type DevSigningKey, newDevSigningKey } from '../../../infra/local/dev-keys.js';
import { signDevToken } from '../../../infra/local/dev-tokens.js';
import type { LocalService } from '../../../infra/local/local-service.js';
import {
  type LocalEvents,
  type LocalEventsOptions,
  startLocalRuntime,
} from '../../../infra/local/runtime.js';
import type { LocalStepFunctions } from '../../../infra/local/step-functions.js';
import { systemClock } from '../../../shared/kernel/clock.js';
import { ulidSource } from '../../../shared/kernel/ids.js';
import { loadServiceConfig, type ServiceConfig } from '../../../shared/platform/config/service-config.js';
import type { Role } from '../../../shared/platform/http/caller.js';
import { createDynamoStores } from '../../../shared/platform/runtime/stores.js';
import type { UseCaseDeps } from '../../../shared/platform/use-cases/context.js';
import { createTestTable, type TestTable } from '../../support/dynamo.js';

/**
 * The whole API in this test file's process: a fresh table in the run's DynamoDB Local, the local runtime on a
 * free port, and direct use-case access to the same table for preparing and checking state.
 */
export interface TestApi {
  readonly url: string;
  readonly table: TestTable;
  readonly key: DevSigningKey;
  readonly config: ServiceConfig;
  /** The Step Functions stand-in running the synthesized cart saga (tests may intercept its tasks). */
  readonly stepFunctions: LocalStepFunctions;
  /** The event pipeline, when the file asked for it. */
  readonly events: LocalEvents | null;
  /** The services the file asked for, started. */
  readonly services: readonly LocalService[];
  /** The use cases on the same table, with the real clock (the handlers' clock). */
  readonly deps: UseCaseDeps;
  token(claims: { sub: string; roles: readonly Role[]; locations?: readonly string[] }): Promise<string>;
}

/** Generous limits so that a file's many requests are not throttled; a file may tighten any of them. */
const TEST_SETTINGS = { CALLER_RATE_LIMIT_PER_SECOND: '1000000', CALLER_RATE_LIMIT_BURST: '1000000' };

export interface TestApiOptions {
  /** The event pipeline and `GET /events`: off unless a file asks (its polling slows the shared database). */
  readonly events?: LocalEventsOptions | false;
  /** More local services to run beside the API, made for the file's table (e.g. stream consumers). */
  readonly services?: (table: TestTable) => readonly LocalService[];
}

/** Starts the API before the file's tests and stops it after; read `api()` inside tests. */
export function useTestApi(
  settings: Record<string, string> = {},
  options: TestApiOptions = {},
): () => TestApi {
  let api: TestApi | undefined;
  let stop = async () => {};
  beforeAll(async () => {
    const table = await createTestTable();
    const key = await newDevSigningKey();
    const merged = { ...TEST_SETTINGS, ...settings };
    const services = options.services?.(table) ?? [];
    const runtime = await startLocalRuntime({
      port: 0,
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      signingKey: key,
      settings: merged,
      events: options.events ?? false,
      services,
    });
    const config = loadServiceConfig(merged);
    stop = async () => {
      await runtime.stop();
      await table.drop();
    };
    api = {
      url: runtime.url,
      table,
      key,
      config,
      stepFunctions: runtime.stepFunctions,
      events: runtime.events,
      services,
      deps: {
        ...createDynamoStores({ client: table.client, tableName: table.tableName }),
        clock: systemClock,
        ids: ulidSource(systemClock),
        holdPolicy: config.holdPolicy,
      },
      token: (claims) => signDevToken(key, claims),
    };
  });
  afterAll(() => stop());
  return () => {
    if (!api) throw new Error('the test API is not started');
    return api;
  };
}
