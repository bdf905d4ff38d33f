import '../infra/local/quiet-sdk.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadOrCreateDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { ensureTable } from '../infra/local/table.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { systemClock } from '../shared/kernel/clock.js';
import {
  type LocationId,
  parseLocationId,
  parsePrincipalId,
  parseSku,
  type Sku,
} from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { readLevel } from '../shared/stock/use-cases/reads.js';
import { shardLevel } from '../shared/stock/use-cases/sharding.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { type BundleFigure, measureBundles } from './bundles.js';
import { cartsScenario } from './carts.js';
import { costsScenario, renderCosts } from './costs.js';
import { type CpuPerOperation, cpuPerOperation } from './cpu.js';
import { cpuRatioOnly } from './cpu-ratio.js';
import { importScenario } from './import.js';
import { listingsScenarios } from './listings.js';
import { liveOnly } from './live.js';
import { BENCH_HOLD_TTL_SECONDS, type LoadResult, runLoad } from './load.js';
import { peakRssMiB } from './memory.js';
import { unitsOversold } from './oversold.js';
import { naiveReserve, rawReserveCeiling, throughDocumentClient } from './raw-store.js';
import { reconcileHistoryScenario, renderReconcileFigures } from './reconcile-history.js';
import { repeatRunsOnly } from './repeat-runs.js';
import { throttledSale } from './throttled-sale.js';

/**
 * `npm run bench [-- --quick] [--runs N]`: the service under load on this machine, through its real HTTP API, against
 * DynamoDB Local; the store's own ceiling for the same transaction in the same run; what a naive
 * read-then-write reserve oversells; bundle sizes and module load times; peak memory. Prints a table, writes
 * bench-results/latest.json, and ends with one JSON line. `--runs N` runs it all N times (bench/repeat-runs.ts).
 */
const USAGE = `npm run bench -- [options]

  (no option)      the whole benchmark, results in bench-results/latest.json
  --quick          the same, smaller
  --runs N         the whole benchmark N times; every figure as median [min..max] (bench-results/runs.json)
  --bundles        only the bundle sizes and module load times (about 30 s)
  --live           only live push: subscribers and deliveries per second
  --cpu-ratio      only the service's CPU per reserve against DynamoDB Local's, over rounds: the whole service
                   process's, and the reserve Lambda handler's alone (invoked directly: what Lambda bills)
                   (--runs N rounds, --reserves N per round, --compare-with <dir> another checkout side by side)

Run it on a quiet machine: figures taken beside other work are not figures of record.`;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const SIZE = quick
  ? {
      warmUpOps: 1_500,
      wideOps: 1_500,
      wideSkus: 100,
      flashStock: 300,
      readOps: 1_020,
      naiveStock: 100,
      carts: 240,
      cartStockPerLevel: 70,
      concurrency: 32,
      bundleRuns: 1,
      reconcile: { levels: 10, movementsPerLevel: 30, newPerLevel: 3 },
    }
  : {
      warmUpOps: 3_000,
      wideOps: 6_000,
      wideSkus: 500,
      flashStock: 1_000,
      readOps: 5_100,
      naiveStock: 200,
      carts: 1_000,
      cartStockPerLevel: 280,
      concurrency: 32,
      bundleRuns: 3,
      reconcile: { levels: 20, movementsPerLevel: 50, newPerLevel: 5 },
    };

const ADMIN = parsePrincipalId('bench-admin');
/** The cap on live holds per storefront caller that the service process runs with (bench/service-process.ts). */
const HOLD_CAP = 10_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Scenario {
  readonly name: string;
  readonly load: LoadResult;
  readonly oversold: number;
  readonly note?: string;
}

/** The largest API function bundle and how many API bundles are over their budget. */
function bundleSummary(bundles: readonly BundleFigure[]) {
  const api = bundles.filter((b) => b.budgetBytes !== null);
  return {
    largestApiBundleKiB: round(Math.max(...api.map((b) => b.bytes)) / 1024),
    apiBundlesOverBudget: api.filter((b) => b.bytes > (b.budgetBytes ?? Number.POSITIVE_INFINITY)).length,
  };
}

/** `npm run bench -- --bundles`: only the bundle sizes and module load times (about 30 s). */
async function bundlesOnly() {
  log('bundles: building each function and timing its module load...');
  const bundles = await measureBundles(ROOT, 3);
  log([row(['bundle', 'KiB', 'gzip KiB', 'load ms', 'budget KiB']), ...bundles.map(bundleRow)].join('\n'));
  process.stdout.write(`${JSON.stringify(bundleSummary(bundles))}\n`);
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(USAGE);
  if (process.argv.includes('--bundles')) return bundlesOnly();
  if (process.argv.includes('--live')) return liveOnly(quick, log);
  if (process.argv.includes('--cpu-ratio')) return cpuRatioOnly(ROOT, log);
  const runs = process.argv.indexOf('--runs');
  if (runs >= 0) return repeatRunsOnly(ROOT, positive(process.argv[runs + 1], '--runs'), log);
  const dynamo = await startDynamoDbLocal();
  const tableName = 'inventory-bench';
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, tableName);
  raw.destroy();
  const client = createDocumentClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deps: UseCaseDeps = {
    ...createDynamoStores({ client, tableName }),
    clock: systemClock,
    ids: ulidSource(systemClock),
    holdPolicy: DEFAULT_HOLD_POLICY,
  };
  const keyFile = join(mkdtempSync(join(tmpdir(), 'inventory-bench-')), 'key.json');
  const key = await loadOrCreateDevSigningKey(keyFile);
  const service = await startService(dynamo.endpoint, tableName, keyFile);
  const buyerIds = Array.from({ length: 200 }, (_, i) => parsePrincipalId(`bench-buyer-${i}`));
  const buyers = await Promise.all(buyerIds.map((sub) => signDevToken(key, { sub, roles: ['storefront'] })));
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await response.arrayBuffer();
    return response.status;
  };
  const reserve = (sku: Sku, locationId: LocationId, i: number) =>
    call('POST', '/reservations', buyers[i % buyers.length] as string, {
      sku,
      locationId,
      quantity: 1,
      ttlSeconds: BENCH_HOLD_TTL_SECONDS,
    }).then((status) => status === 201);

  try {
    const warehouse = parseLocationId('BENCH-WH');
    await createLocation(deps, {
      locationId: warehouse,
      name: 'Bench warehouse',
      region: 'local',
      ownerId: ADMIN,
    });
    const stock = async (sku: Sku, quantity: number) =>
      receiveStock(deps, { sku, locationId: warehouse, quantity }, { actor: ADMIN, reason: 'bench' });
    const scenarios: Scenario[] = [];

    // DynamoDB Local's JIT compiles its hot paths during the first thousands of requests, burning CPU that would
    // otherwise serve whichever scenario runs first: it is warmed up before anything is measured.
    log(`warming DynamoDB Local up: ${SIZE.warmUpOps} raw transactions...`);
    const rawSkus = Array.from({ length: SIZE.wideSkus }, (_, i) => parseSku(`RAW-${i}`));
    for (const sku of rawSkus) await stock(sku, 1_000_000);
    const levels = rawSkus.map((sku) => ({ sku, locationId: warehouse }));
    await rawReserveCeiling(
      throughDocumentClient(client),
      tableName,
      levels,
      buyerIds,
      deps.ids,
      SIZE.warmUpOps,
      SIZE.concurrency,
      HOLD_CAP,
    );

    log(`wide catalog: ${SIZE.wideOps} reserves over ${SIZE.wideSkus} SKUs...`);
    const wide = Array.from({ length: SIZE.wideSkus }, (_, i) => parseSku(`WIDE-${i}`));
    for (const sku of wide) await stock(sku, 1_000_000);
    await runLoad(200, SIZE.concurrency, (i) => reserve(wide[i % wide.length] as Sku, warehouse, i)); // warm-up
    const processes = { service: service.pid, dynamoDbLocal: dynamo.pid, loadGenerator: process.pid };
    const { result: wideLoad, cpu: serviceCpu } = await cpuPerOperation(processes, () =>
      runLoad(SIZE.wideOps, SIZE.concurrency, (i) =>
        reserve(wide[(i * 7919) % wide.length] as Sku, warehouse, i),
      ),
    );
    scenarios.push({ name: 'wide catalog (reserve, all succeed)', load: wideLoad, oversold: 0 });

    for (const shards of [1, 4]) {
      const sku = parseSku(`FLASH-${shards}`);
      await stock(sku, SIZE.flashStock);
      if (shards > 1) await shardLevel(deps, { sku, locationId: warehouse, shards }, ADMIN);
      log(`flash sale, ${shards} shard(s): ${SIZE.flashStock * 2} buyers for ${SIZE.flashStock} units...`);
      const load = await runLoad(SIZE.flashStock * 2, 64, (i) => reserve(sku, warehouse, i));
      const level = await readLevel(deps, sku, warehouse);
      const oversold = Math.max(load.succeeded - SIZE.flashStock, unitsOversold(level));
      scenarios.push({
        name: `flash sale, ${shards} shard${shards > 1 ? 's' : ''}`,
        load,
        oversold,
        note: `${load.succeeded} held of ${SIZE.flashStock}`,
      });
    }

    scenarios.push(
      ...(await throttledSale({
        root: ROOT,
        endpoint: dynamo.endpoint,
        tableName,
        keyFile,
        deps,
        warehouse,
        admin: ADMIN,
        tokens: buyers,
        quick,
        log,
      })),
    );

    log(`read-heavy mix: ${SIZE.readOps} requests, 50 reads per reserve...`);
    const readSkus = wide.slice(0, 20);
    const readLoad = await runLoad(SIZE.readOps, SIZE.concurrency, async (i) => {
      const sku = readSkus[i % readSkus.length] as Sku;
      if (i % 51 === 50) return reserve(sku, warehouse, i);
      return (await call('GET', `/skus/${sku}/availability`, buyers[i % buyers.length] as string)) === 200;
    });
    scenarios.push({ name: 'read-heavy (50 reads : 1 reserve)', load: readLoad, oversold: 0 });

    log(
      'listings: WCU per reserve and throughput with and without the listing indexes, a read-heavy mix over them...',
    );
    scenarios.push(
      ...(
        await listingsScenarios({
          endpoint: dynamo.endpoint,
          deps,
          tableName,
          url: service.url,
          adminToken: await signDevToken(key, { sub: ADMIN, roles: ['admin'] }),
          buyerToken: buyers[0] as string,
          size: { reserves: SIZE.wideOps / 3, reads: SIZE.readOps, concurrency: SIZE.concurrency },
        })
      ).scenarios,
    );
    log(`carts: ${SIZE.carts} carts of 2-3 lines over 3 warehouses, more demand than stock...`);
    const carts = await cartsScenario(
      deps,
      ADMIN,
      { carts: SIZE.carts, stockPerLevel: SIZE.cartStockPerLevel, concurrency: 16 },
      (cartId, buyer, body) =>
        call('POST', `/carts/${cartId}/reservations`, buyers[buyer % buyers.length] as string, body),
    );
    scenarios.push({
      name: 'carts (saga, 2-3 lines, contended)',
      load: carts.load,
      oversold: carts.oversold + Math.abs(carts.strandedUnits),
      note: carts.note,
    });

    scenarios.push(
      ...(await importScenario({
        deps,
        client,
        tableName,
        serviceUrl: service.url,
        token: await signDevToken(key, { sub: ADMIN, roles: ['admin'] }),
        rows: quick ? 2_000 : 10_000,
        log,
      })),
    );

    log('raw store ceiling: the same TransactWriteItems, sent directly...');
    const { result: rawLoad, cpu: rawCpu } = await cpuPerOperation(processes, () =>
      rawReserveCeiling(
        throughDocumentClient(client),
        tableName,
        levels,
        buyerIds,
        deps.ids,
        SIZE.wideOps,
        SIZE.concurrency,
        HOLD_CAP,
      ),
    );
    const cpuMsPerReserve = { service: serviceCpu, raw: rawCpu };

    log('naive read-then-write reserve on one SKU...');
    const naiveSku = parseSku('NAIVE-1');
    await stock(naiveSku, SIZE.naiveStock);
    const naive = await naiveReserve(
      client,
      tableName,
      { sku: naiveSku, locationId: warehouse },
      deps.ids,
      SIZE.naiveStock * 2,
      64,
    );
    const naiveOversold = Math.max(0, naive.succeeded - SIZE.naiveStock);

    const memory = {
      serviceMiB: peakRssMiB(service.pid),
      dynamoDbLocalMiB: peakRssMiB(dynamo.pid),
      benchMiB: peakRssMiB(process.pid),
    };
    // The scenarios left need no service, and its change feed writer still works through the stream of every
    // write above: it would take DynamoDB Local's CPU from them (the 10x history's writes crawled at 2-3/s).
    service.child.kill('SIGTERM');

    // On a DynamoDB Local of their own: the one above, after tens of thousands of transactions, served the 10x
    // history's writes at 2-3/s even with the service stopped.
    const fresh = await startDynamoDbLocal();
    const { reconciliation, costs } = await (async () => ({
      reconciliation: await reconcileHistoryScenario(fresh.endpoint, SIZE.reconcile, log),
      costs: await costsScenario(fresh.endpoint),
    }))().finally(() => fresh.stop());
    log('bundles: building each function and timing its module load...');
    const bundles = await measureBundles(ROOT, SIZE.bundleRuns);

    const summary = {
      reserveOpsPerSec: round(wideLoad.opsPerSec),
      rawTxOpsPerSec: round(rawLoad.opsPerSec),
      ratio: round(wideLoad.opsPerSec / rawLoad.opsPerSec, 2),
      p99Ms: round(wideLoad.p99Ms, 1),
      oversold: scenarios.reduce((n, s) => n + s.oversold, 0),
      naiveOversold,
      ...bundleSummary(bundles),
    };
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30),
      node: process.version,
      quick,
    };
    report(scenarios, rawLoad, naive, naiveOversold, memory, cpuMsPerReserve, bundles, machine);
    log(renderReconcileFigures(reconciliation));
    log(renderCosts(costs));
    mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench-results', 'latest.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          summary,
          scenarios,
          raw: rawLoad,
          naive,
          memory,
          cpuMsPerReserve,
          bundles,
          reconciliation,
          costs,
        },
        null,
        2,
      ),
    );
    console.log(JSON.stringify(summary));
  } finally {
    service.child.kill('SIGTERM');
    client.destroy();
    await dynamo.stop();
  }
}

function positive(value: string | undefined, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${option} takes a positive integer, e.g. ${option} 3`);
  return n;
}

function row(cells: readonly (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 38 : 11)).join('');
}

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function report(
  scenarios: readonly Scenario[],
  raw: LoadResult,
  naive: LoadResult,
  naiveOversold: number,
  memory: Record<string, number | null>,
  cpu: { service: CpuPerOperation; raw: CpuPerOperation },
  bundles: readonly BundleFigure[],
  machine: Record<string, unknown>,
) {
  const lines = [
    `machine: ${JSON.stringify(machine)}`,
    '',
    row(['scenario', 'ops', 'ops/s', 'p50 ms', 'p95 ms', 'p99 ms', 'oversold', 'note']),
    ...scenarios.map((s) =>
      row([
        s.name,
        s.load.operations,
        round(s.load.opsPerSec),
        round(s.load.p50Ms, 1),
        round(s.load.p95Ms, 1),
        round(s.load.p99Ms, 1),
        s.oversold,
        s.note ?? '',
      ]),
    ),
    row([
      'raw TransactWriteItems (no service)',
      raw.operations,
      round(raw.opsPerSec),
      round(raw.p50Ms, 1),
      round(raw.p95Ms, 1),
      round(raw.p99Ms, 1),
      '-',
      'store ceiling',
    ]),
    row([
      'naive read-then-write reserve',
      naive.operations,
      round(naive.opsPerSec),
      round(naive.p50Ms, 1),
      round(naive.p95Ms, 1),
      round(naive.p99Ms, 1),
      naiveOversold,
      `${naive.succeeded} "held" of ${SIZE.naiveStock}`,
    ]),
    '',
    `CPU ms per reserve, through the service: service ${cpu.service.service ?? '?'}, DynamoDB Local ${cpu.service.dynamoDbLocal ?? '?'}, load generator ${cpu.service.loadGenerator ?? '?'}`,
    `CPU ms per reserve, raw transaction:     DynamoDB Local ${cpu.raw.dynamoDbLocal ?? '?'}, load generator ${cpu.raw.loadGenerator ?? '?'}`,
    '',
    `peak RSS: service ${memory.serviceMiB ?? '?'} MiB, DynamoDB Local ${memory.dynamoDbLocalMiB ?? '?'} MiB, load generator ${memory.benchMiB ?? '?'} MiB`,
    '',
    row(['bundle', 'KiB', 'gzip KiB', 'load ms', 'budget KiB']),
    ...bundles.map(bundleRow),
  ];
  log(lines.join('\n'));
}

function bundleRow(b: BundleFigure): string {
  return row([
    b.handler,
    round(b.bytes / 1024),
    round(b.gzipBytes / 1024),
    round(b.loadMs, 1),
    b.budgetBytes === null ? '-' : `${round(b.budgetBytes / 1024)}${b.bytes > b.budgetBytes ? ' OVER' : ''}`,
  ]);
}

async function startService(
  endpoint: string,
  tableName: string,
  keyFile: string,
): Promise<{ url: string; pid: number | undefined; child: ChildProcess }> {
  // BENCH_SERVICE_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=bench-results`) profiles the service process.
  const nodeOptions = (process.env.BENCH_SERVICE_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const serviceScript = join(ROOT, 'bench', 'service-process.ts');
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', serviceScript], {
    env: { ...process.env, BENCH_DYNAMO_ENDPOINT: endpoint, BENCH_TABLE: tableName, BENCH_KEY_FILE: keyFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    try {
      const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
      if (parsed.ready && parsed.url) return { url: parsed.url, pid: child.pid, child };
    } catch {
      // not the ready line
    }
  }
  throw new Error('the service process exited before it was ready');
}

await main();
