import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  parseIdempotencyKey,
  parseLocationId,
  parsePrincipalId,
  parseSku,
} from '../shared/kernel/identifiers.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { transact } from '../shared/platform/store/transact.js';
import { changeContext, idempotencyRecord, type UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { buildReceive } from '../shared/stock/store/requests/stock-changes.js';
import { type LoadResult, runLoad } from './load.js';

/**
 * Import scenario: `npm run import` of a CSV of `rows` receipts into the running service (its batch route, 100 rows
 * a request, 4 at once), timed end to end as the command reports it; next to it, the raw DynamoDB Local write
 * rate of the same run: the same receipt transactions (level, movement, location check, idempotency record, built
 * by the same builder) sent straight to the store, one per row, 32 at once.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

export interface ImportScenarioInput {
  readonly deps: UseCaseDeps;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly serviceUrl: string;
  /** An admin token of the service. */
  readonly token: string;
  readonly rows: number;
  readonly log: (line: string) => void;
}

interface ImportFigure {
  readonly name: string;
  readonly load: LoadResult;
  readonly oversold: number;
  readonly note?: string;
}

const figure = (rows: number, seconds: number): LoadResult => ({
  operations: rows,
  succeeded: rows,
  failed: 0,
  seconds,
  opsPerSec: rows / seconds,
  p50Ms: 0,
  p95Ms: 0,
  p99Ms: 0,
});

export async function importScenario(input: ImportScenarioInput): Promise<ImportFigure[]> {
  const { deps, rows, log } = input;
  const actor = parsePrincipalId('bench-import');
  const locationId = parseLocationId('BENCH-IMPORT-WH');
  await createLocation(deps, { locationId, name: 'Import warehouse', region: 'local', ownerId: actor });
  const file = join(mkdtempSync(join(tmpdir(), 'bench-import-')), 'stock.csv');
  const lines = Array.from({ length: rows }, (_, i) => `receipt,IMPORT-${i},${locationId},${1 + (i % 50)}`);
  writeFileSync(file, `op,sku,locationId,quantity\n${lines.join('\n')}\n`);

  log(`import: npm run import of ${rows} receipts through POST /stock/batch...`);
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'import.ts'), file, '--api', input.serviceUrl, '--no-progress'],
    { env: { ...process.env, INVENTORY_TOKEN: input.token }, maxBuffer: 16 * 1024 * 1024 },
  );
  const total = (performance.now() - started) / 1000;
  const sent = /imported \d+ rows in ([\d.]+) s/.exec(stdout);
  const applied = Number(/: (\d+) applied/.exec(stdout)?.[1] ?? 0);
  const sendSeconds = sent ? Number(sent[1]) : total;

  log(`import: the same ${rows} receipt transactions sent raw to DynamoDB Local...`);
  const raw = await runLoad(rows, 32, async (i) => {
    const sku = parseSku(`RAW-IMPORT-${i}`);
    const who = { actor, reason: null, reference: null };
    const planned = buildReceive(
      input.tableName,
      {
        sku,
        locationId,
        movementId: deps.ids.next(),
        context: changeContext(deps, who),
        idempotency: idempotencyRecord(deps, actor, 'receive', parseIdempotencyKey(`raw-import-${i}`), { i }),
        quantity: 1 + (i % 50),
      },
      [{ shard: 0, quantity: 1 + (i % 50) }],
    );
    return (await transact(input.client, planned)).kind === 'applied';
  });
  return [
    {
      name: `import ${rows} rows (npm run import)`,
      load: { ...figure(rows, sendSeconds), succeeded: applied, failed: rows - applied },
      oversold: 0,
      note: `${(rows / total).toFixed(0)} rows/s incl. validation and start-up`,
    },
    {
      name: 'raw receipt transactions (no service)',
      load: raw,
      oversold: 0,
      note: 'DynamoDB Local write rate',
    },
  ];
}

/**
 * `npx tsx bench/import.ts [--rows N]`: this scenario alone (default 300 rows), on its own DynamoDB Local
 * (in memory) and the local runtime in this process, with the abuse limits lifted as in the bench.
 */
async function alone() {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { startDynamoDbLocal } = await import('../infra/local/dynamodb-local.js');
  const { ensureTable } = await import('../infra/local/table.js');
  const { newDevSigningKey } = await import('../infra/local/dev-keys.js');
  const { signDevToken } = await import('../infra/local/dev-tokens.js');
  const { startLocalRuntime } = await import('../infra/local/runtime.js');
  const { createDocumentClient } = await import('../shared/platform/store/document-client.js');
  const { createDynamoStores } = await import('../shared/platform/runtime/stores.js');
  const { systemClock } = await import('../shared/kernel/clock.js');
  const { ulidSource } = await import('../shared/kernel/ids.js');
  const { DEFAULT_HOLD_POLICY } = await import('../shared/holds/domain/hold-policy.js');
  const rowsArg = process.argv.indexOf('--rows');
  const rows = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 300;
  const dynamo = await startDynamoDbLocal();
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const tableName = 'inventory-bench-import';
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  await ensureTable(raw, tableName);
  raw.destroy();
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  const key = await newDevSigningKey();
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
    signingKey: key,
    settings: { CALLER_RATE_LIMIT_PER_SECOND: '1000000', CALLER_RATE_LIMIT_BURST: '1000000' },
    events: false,
  });
  try {
    const deps: UseCaseDeps = {
      ...createDynamoStores({ client, tableName }),
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: DEFAULT_HOLD_POLICY,
    };
    const token = await signDevToken(key, { sub: 'bench-admin', roles: ['admin'] });
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const figures = await importScenario({
      deps,
      client,
      tableName,
      serviceUrl: runtime.url,
      token,
      rows,
      log,
    });
    for (const f of figures) {
      log(
        `${f.name.padEnd(42)} ${f.load.opsPerSec.toFixed(0).padStart(6)} rows/s  (${f.load.seconds.toFixed(1)} s) ${f.note ?? ''}`,
      );
    }
  } finally {
    await runtime.stop();
    client.destroy();
    await dynamo.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await alone();
