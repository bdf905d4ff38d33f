import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../kernel/clock.js';
import { ulidSource } from '../../kernel/ids.js';
import type { ServiceConfig } from '../config/service-config.js';
import { createDocumentClient } from '../store/document-client.js';
import type { UseCaseDeps } from '../use-cases/context.js';
import { type RuntimeEnvironment, readEnvironment } from './environment.js';
import { createDynamoStores } from './stores.js';

export interface ServiceRuntime {
  /** The process's one DynamoDB client (the store's): tests add SDK middleware to it to inject faults. */
  readonly client: DynamoDBDocumentClient;
  readonly deps: UseCaseDeps;
  readonly config: ServiceConfig;
}

/**
 * The use cases' dependencies, built from a checked environment. The DynamoDB client gets no endpoint: the
 * SDK reads `AWS_ENDPOINT_URL_DYNAMODB` itself when the local runtime sets it.
 */
export function buildRuntime(environment: RuntimeEnvironment): ServiceRuntime {
  const client = createDocumentClient();
  return {
    client,
    deps: {
      ...createDynamoStores({ client, tableName: environment.tableName }),
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: environment.config.holdPolicy,
    },
    config: environment.config,
  };
}

let runtime: ServiceRuntime | undefined;

/**
 * The process's dependencies and config, built on first use. A handler module calls this at module scope, so
 * the environment is checked and the DynamoDB client made once per cold start, and a bad environment fails the
 * cold start, not a request. Handlers sharing a process (the local runtime) share one client.
 */
export function coldStart(): ServiceRuntime {
  runtime ??= buildRuntime(readEnvironment(process.env));
  return runtime;
}
