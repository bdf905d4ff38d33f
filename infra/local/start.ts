import './quiet-sdk.js';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { coldStart } from '../../shared/platform/runtime/deps.js';
import { buildConsole } from '../console/build.js';
import { backgroundServices } from './background-services.js';
import { consoleSite, demoCallerLabel } from './console-site.js';
import { DEMO_CALLERS } from './demo-callers.js';
import { DevKeyFileError, loadOrCreateDevSigningKey } from './dev-keys.js';
import { signDevToken } from './dev-tokens.js';
import { CorruptStoreError, JavaMissingError, startDynamoDbLocal } from './dynamodb-local.js';
import { startLocalRuntime } from './runtime.js';
import { removeRuntimeFile, runtimeFileOf, writeRuntimeFile } from './runtime-file.js';
import { seedDemo } from './seed-demo.js';

/**
 * `npm start`: DynamoDB Local on disk under the data folder, the table made sure of, the Step Functions
 * stand-in running the stack's cart saga, the event pipeline (the table's stream → the in-process bus →
 * replenishment, every event also logged to the data folder), the API on http://localhost:3000 (PORT overrides),
 * tokens for each role printed, where it all runs written to `<data>/runtime.json` (for `npm run reconcile`);
 * Ctrl-C stops everything. `npm start -- --seed demo` loads the demo catalog first; `npm start -- --help` says so.
 */
const HELP = `Usage: npm start [-- --seed demo]

Runs the inventory service on this machine: DynamoDB Local (its data in the data folder), the API, the cart
saga, the event pipeline, the expired-hold sweeper, the stuck-cart recovery and the TTL backstop. Ctrl-C stops
everything.

Options:
  --seed demo   load the demo catalog (three warehouses, three SKUs, some stock) before serving;
                seeding again changes nothing
  -h, --help    print this help and exit

Environment:
  PORT                the API's port (default 3000; 0 picks a free one)
  LIVE_PORT           the live-stock WebSocket API's port (default PORT + 1)
  HOST                the address the API listens on (default 127.0.0.1)
  INVENTORY_DATA_DIR  the data folder (default .data); delete it to start from scratch
  TABLE_NAME          the table (default inventory-local)

While it runs, <data folder>/runtime.json names the API, DynamoDB Local's endpoint and the table;
npm run reconcile reads it.`;

/** A mistake in how the script was called: a message and exit code 2, no stack. */
function usageError(message: string): never {
  console.error(`npm start: ${message}\nRun 'npm start -- --help' to see the options.`);
  process.exit(2);
}

function parseCommandLine() {
  try {
    return parseArgs({
      options: { seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /--seed/.test((error as Error).message))
      usageError("--seed needs a value: the only one is 'demo' (npm start -- --seed demo)");
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) usageError((error as Error).message);
    throw error;
  }
}

const values = parseCommandLine();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
if (values.seed !== undefined && values.seed !== 'demo')
  usageError(`unknown seed '${values.seed}': the only one is 'demo'`);
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  usageError(`PORT must be a port number (got '${process.env.PORT}')`);
/** The live-stock WebSocket API's port (docs/live.md): the API's port + 1 unless LIVE_PORT says. */
const livePort = Number(process.env.LIVE_PORT ?? (port === 0 ? 0 : port + 1));
if (!Number.isInteger(livePort) || livePort < 0 || livePort > 65535)
  usageError(`LIVE_PORT must be a port number (got '${process.env.LIVE_PORT}')`);
const dataDir = resolve(process.env.INVENTORY_DATA_DIR ?? '.data');
/** Every event the local bus publishes, one JSON object per line (`tail -f` it to watch the feed). */
const eventLog = resolve(dataDir, 'events.ndjson');

async function main(): Promise<void> {
  // The key first: a damaged key file is refused before anything starts.
  const signingKey = await loadOrCreateDevSigningKey(resolve(dataDir, 'dev-signing-key.json'));
  const dynamo = await startDynamoDbLocal({ dbPath: resolve(dataDir, 'dynamodb') });
  let stopRuntime = async () => {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the event pipeline, the API and DynamoDB Local...`);
    removeRuntimeFile(dataDir);
    await stopRuntime();
    await dynamo.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGHUP', () => void shutdown('SIGHUP'));

  try {
    const tableName = process.env.TABLE_NAME ?? 'inventory-local';
    const signed = await Promise.all(
      DEMO_CALLERS.map(async (c) => ({ caller: c, token: await signDevToken(signingKey, c.claims) })),
    );
    let liveUrl: string | null = null;
    const consolePages = consoleSite({
      dir: buildConsole(),
      liveUrl: () => liveUrl,
      demoCallers: signed.map(({ caller, token }) => ({ label: demoCallerLabel(caller.claims), token })),
    });
    const runtime = await startLocalRuntime({
      sites: [consolePages],
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
      live: { port: livePort },
    });
    stopRuntime = runtime.stop;
    liveUrl = runtime.live?.url ?? null;
    // The cart saga: synthesize the stack now, so that a definition that cannot run fails here, not at a cart.
    await runtime.stepFunctions.ready();
    if (values.seed === 'demo') await seedDemo(coldStart().deps);
    writeRuntimeFile(dataDir, {
      pid: process.pid,
      api: runtime.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      startedAt: new Date().toISOString(),
    });
    const tokens = signed.map(({ caller, token }) => `export ${caller.variable}=${token}`);
    console.log(
      [
        `Inventory API on ${runtime.url}  (table ${runtime.table}${values.seed ? ', demo catalog loaded' : ''})`,
        `DynamoDB Local ${dynamo.endpoint} (pid ${dynamo.pid}), data in ${dataDir}`,
        `Step Functions (local, the stack's synthesized cart saga) ${runtime.stepFunctions.endpoint}`,
        `OpenAPI: ${runtime.url}/openapi.json`,
        `Live stock (WebSocket, docs/live.md): ${runtime.live?.url}/?token=<token>`,
        `Operator console: ${runtime.url}/console/ (sign in as one of the demo roles)`,
        `Events: ${runtime.url}/events (admin token), and every event appended to ${eventLog}`,
        `Where it runs: ${runtimeFileOf(dataDir)} (npm run reconcile reads it)`,
        '',
        'Tokens (valid 24 h, signed with the local development key); paste into your shell:',
        `export API=${runtime.url}`,
        `export LIVE=${runtime.live?.url}`,
        ...tokens,
        '',
        `Try: curl -s -H "Authorization: Bearer $ALICE_TOKEN" $API/skus/TSHIRT-BLUE-M/availability`,
        'Ctrl-C to stop.',
      ].join('\n'),
    );
  } catch (error) {
    removeRuntimeFile(dataDir);
    await stopRuntime();
    await dynamo.stop();
    throw error;
  }
}

function explain(error: unknown): unknown {
  if (error instanceof JavaMissingError || error instanceof DevKeyFileError) return error.message;
  if (error instanceof CorruptStoreError) {
    return (
      `${error.message}.\nThe local data is damaged (a file changed outside DynamoDB Local, or a disk problem). ` +
      `To start fresh, delete the data folder: rm -rf ${dataDir}\n` +
      '(its stock, holds, events log and development signing key are lost; tokens printed before stop working).'
    );
  }
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return `port ${port} is already in use: stop what uses it, or choose another with PORT=3001 npm start`;
  }
  return error;
}

main().catch((error: unknown) => {
  console.error(explain(error));
  process.exit(1);
});
