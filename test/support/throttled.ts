import { installThrottling } from '../../infra/local/throttling/throttling-middleware.js';
import type { ThroughputSimulation } from '../../infra/local/throttling/throughput-simulation.js';
import { ulidSource } from '../../shared/kernel/ids.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import type { RetryPolicy } from '../../shared/platform/store/transact.js';
import type { UseCaseDeps } from '../../shared/platform/use-cases/context.js';
import type { TestDeps, TestTable } from './dynamo.js';

export interface ThrottledDeps {
  /** The stores of the table behind a client that DynamoDB's write limits throttle, as the simulation says. */
  readonly deps: UseCaseDeps;
  /** That client (for the contention flush), to be destroyed after the tests. */
  readonly client: ReturnType<typeof createDocumentClient>;
}

/** The use cases' dependencies of `table`, with `like`'s clock and hold policy, sent through `simulation`. */
export function throttledDeps(
  table: TestTable,
  like: TestDeps,
  simulation: ThroughputSimulation,
  retry: RetryPolicy,
): ThrottledDeps {
  const client = createDocumentClient({
    endpoint: table.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  installThrottling(client, simulation);
  return {
    client,
    deps: {
      ...createDynamoStores({ client, tableName: table.tableName, retry }),
      clock: like.clock,
      ids: ulidSource(like.clock),
      holdPolicy: like.holdPolicy,
    },
  };
}
