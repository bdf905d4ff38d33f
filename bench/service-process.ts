import '../infra/local/quiet-sdk.js';
import { backgroundServices } from '../infra/local/background-services.js';
import { loadOrCreateDevSigningKey } from '../infra/local/dev-keys.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { installThrottling } from '../infra/local/throttling/throttling-middleware.js';
import { ThroughputSimulation } from '../infra/local/throttling/throughput-simulation.js';
import { systemClock } from '../shared/kernel/clock.js';
import { coldStart } from '../shared/platform/runtime/deps.js';
import { BENCH_SERVICE_SETTINGS } from './service-settings.js';

/**
 * The service under load, in its own process so that its memory is measured apart from the load generator:
 * the local runtime (HTTP API and background functions) against the DynamoDB endpoint and table it is given.
 * Prints one JSON line with its URL when it is ready; stops on SIGTERM.
 */
const endpoint = process.env.BENCH_DYNAMO_ENDPOINT;
const tableName = process.env.BENCH_TABLE;
const keyFile = process.env.BENCH_KEY_FILE;
if (!endpoint || !tableName || !keyFile)
  throw new Error('BENCH_DYNAMO_ENDPOINT, BENCH_TABLE and BENCH_KEY_FILE are required');

const runtime = await startLocalRuntime({
  port: 0,
  dynamoEndpoint: endpoint,
  tableName,
  signingKey: await loadOrCreateDevSigningKey(keyFile),
  settings: BENCH_SERVICE_SETTINGS,
  services: backgroundServices({
    dynamoEndpoint: endpoint,
    tableName,
    ...(process.env.BENCH_AUTO_SHARD_EVERY_MS
      ? { autoShardEveryMs: Number(process.env.BENCH_AUTO_SHARD_EVERY_MS) }
      : {}),
  }),
  // The benchmark measures the request path: the event pipeline's polling would load the database besides.
  events: false,
});
// BENCH_THROTTLE_FACTOR: DynamoDB's write limits, scaled by it, enforced on the service's client (bench/throttled-sale.ts),
// every partition key value one partition (a cold table: no split for heat assumed; a level's shards have partition
// keys of their own, ADR 34).
if (process.env.BENCH_THROTTLE_FACTOR) {
  const factor = Number(process.env.BENCH_THROTTLE_FACTOR);
  installThrottling(
    coldStart().client,
    new ThroughputSimulation({ factor, partitions: 'partition-key' }, systemClock),
  );
}
console.log(JSON.stringify({ ready: true, url: runtime.url, pid: process.pid }));
process.on('SIGTERM', () => {
  void runtime.stop().then(() => process.exit(0));
});
