import './quiet-sdk.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStart } from '../../shared/runtime/deps.js';
import { backgroundServices } from './background-services.js';
import { DEMO_CALLERS } from './demo-callers.js';
import { loadOrCreateDevSigningKey } from './dev-keys.js';
import { signDevToken } from './dev-tokens.js';
import { JavaMissingError, startDynamoDbLocal } from './dynamodb-local.js';
import { startLocalRuntime } from './runtime.js';
import { seedDemo } from './seed-demo.js';

/**
 * `npm start`: DynamoDB Local on disk under the data folder, the table made sure of, the Step Functions
 * stand-in running the stack's cart saga, the event pipeline (the table's stream → the in-process bus →
 * replenishment, every event also logged to the data folder), the API on http://localhost:3000 (PORT overrides),
 * tokens for each role printed; Ctrl-C stops everything.
 * `npm start -- --seed demo` loads the demo catalog first.
 */
const { values } = parseArgs({ options: { seed: { type: 'string' } }, strict: true });
if (values.seed !== undefined && values.seed !== 'demo') {
  console.error(`unknown seed '${values.seed}': the only one is 'demo'`);
  process.exit(2);
}
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (got '${process.env.PORT}')`);
  process.exit(2);
}
const dataDir = resolve(process.env.INVENTORY_DATA_DIR ?? '.data');
/** Every event the local bus publishes, one JSON object per line (`tail -f` it to watch the feed). */
const eventLog = resolve(dataDir, 'events.ndjson');

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal({ dbPath: resolve(dataDir, 'dynamodb') });
  let stopRuntime = async () => {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the event pipeline, the API and DynamoDB Local...`);
    await stopRuntime();
    await dynamo.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  try {
    const signingKey = await loadOrCreateDevSigningKey(resolve(dataDir, 'dev-signing-key.json'));
    const tableName = process.env.TABLE_NAME ?? 'inventory-local';
    const runtime = await startLocalRuntime({
      port,
      host: process.env.HOST ?? '127.0.0.1',
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      signingKey,
      services: backgroundServices({ dynamoEndpoint: dynamo.endpoint, tableName }),
      // The stream is read from TRIM_HORIZON: after a restart it still holds what was written while the runtime
      // was stopped (LATEST would miss it, and with it a StockLow and its replenishment request). Replaying up to
      // 24 h of records is safe: a threshold crossing is decided once on the level's alert item, and
      // replenishment is idempotent; the feed and its log only show those events again, with the same ids.
      events: { startAt: 'TRIM_HORIZON', logFile: eventLog },
    });
    stopRuntime = runtime.stop;
    // The cart saga: synthesize the stack now, so that a definition that cannot run fails here, not at a cart.
    await runtime.stepFunctions.ready();
    if (values.seed === 'demo') await seedDemo(coldStart().deps);
    const tokens = await Promise.all(
      DEMO_CALLERS.map(async (c) => `export ${c.variable}=${await signDevToken(signingKey, c.claims)}`),
    );
    console.log(
      [
        `Inventory API on ${runtime.url}  (table ${runtime.table}${values.seed ? ', demo catalog loaded' : ''})`,
        `DynamoDB Local ${dynamo.endpoint} (pid ${dynamo.pid}), data in ${dataDir}`,
        `Step Functions (local, the stack's synthesized cart saga) ${runtime.stepFunctions.endpoint}`,
        `OpenAPI: ${runtime.url}/openapi.json`,
        `Events: ${runtime.url}/events (admin token), and every event appended to ${eventLog}`,
        '',
        'Tokens (valid 24 h, signed with the local development key); paste into your shell:',
        `export API=${runtime.url}`,
        ...tokens,
        '',
        `Try: curl -s -H "Authorization: Bearer $ALICE_TOKEN" $API/skus/TSHIRT-BLUE-M/availability`,
        'Ctrl-C to stop.',
      ].join('\n'),
    );
  } catch (error) {
    await stopRuntime();
    await dynamo.stop();
    throw error;
  }
}

function explain(error: unknown): unknown {
  if (error instanceof JavaMissingError) return error.message;
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return `port ${port} is already in use: stop what uses it, or choose another with PORT=3001 npm start`;
  }
  return error;
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});
