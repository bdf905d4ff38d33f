import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadOrCreateDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { ensureTable } from '../infra/local/table.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { systemClock } from '../shared/kernel/clock.js';
import { parseLocationId, parsePrincipalId, parseSku, type Sku } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { cpuPerOperation } from './cpu.js';
import { type LoadResult, runLoad } from './load.js';
import { rawReserveCeiling } from './raw-store.js';

/**
 * `npm run bench -- --cpu-ratio [--runs 5] [--reserves 2000]`: the service's own cost per reserve, over several
 * rounds side by side. Each round sends `reserves` reserves of the same transaction raw to DynamoDB Local, then
 * as many through the service's HTTP API (alternating, so a neighbour's load falls on both), and reads from
 * /proc the CPU each process spent per reserve. Prints, per round and as median [min..max] over the rounds:
 * reserves/s of each, their ratio, the service process's CPU ms per reserve, DynamoDB Local's (raw), and the ratio
 * of the two (the service's cost against the store's). Ends with one JSON line.
 * `--compare-with <dir>` also starts the service of another checkout (e.g. `git archive main | tar -x -C <dir>`, its
 * node_modules linked) on a table of its own, and runs its rounds between this one's, so that both meet the
 * same machine: on a shared machine, before and after are only comparable side by side.
 */
const CONCURRENCY = 32;
const HOLD_CAP = 10_000;

interface Round {
  readonly serviceOpsPerSec: number;
  readonly rawOpsPerSec: number;
  readonly serviceCpuMs: number;
  readonly dynamoCpuMsThroughService: number;
  readonly dynamoCpuMsRaw: number;
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer`);
  return value;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Median, min and max of a figure over the rounds. */
export function spread(values: readonly number[], digits = 2): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median: round(median, digits),
    min: round(sorted[0] ?? 0, digits),
    max: round(sorted.at(-1) ?? 0, digits),
  };
}

const format = (s: { median: number; min: number; max: number }) => `${s.median} [${s.min}..${s.max}]`;

interface ServiceUnderTest {
  readonly label: string;
  readonly url: string;
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  readonly rounds: Round[];
}

export async function cpuRatioOnly(root: string, log: (line: string) => void): Promise<void> {
  const runs = option('--runs', 5);
  const reserves = option('--reserves', 2_000);
  const compareIndex = process.argv.indexOf('--compare-with');
  const baselineRoot = compareIndex >= 0 ? process.argv[compareIndex + 1] : undefined;
  const dynamo = await startDynamoDbLocal();
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'inventory-cpu-ratio-')), 'key.json');
  const key = await loadOrCreateDevSigningKey(keyFile);
  const admin = parsePrincipalId('bench-admin');
  const warehouse = parseLocationId('BENCH-WH');
  const skus = Array.from({ length: 500 }, (_, i) => parseSku(`CPU-${i}`));
  const levels = skus.map((sku) => ({ sku, locationId: warehouse }));
  /** A table of its own per service and for the raw rounds (consumers see only their service's reserves), stocked. */
  const stockedTable = async (tableName: string): Promise<UseCaseDeps> => {
    const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
    await ensureTable(raw, tableName);
    raw.destroy();
    const deps: UseCaseDeps = {
      ...createDynamoStores({ client, tableName }),
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: DEFAULT_HOLD_POLICY,
    };
    await createLocation(deps, {
      locationId: warehouse,
      name: 'Bench warehouse',
      region: 'local',
      ownerId: admin,
    });
    for (const sku of skus)
      await receiveStock(
        deps,
        { sku, locationId: warehouse, quantity: 1_000_000 },
        { actor: admin, reason: 'bench' },
      );
    return deps;
  };
  // The raw rounds have a table of their own: on a service's table, that service's stream consumers would process
  // the raw transactions too (their CPU counted as the service's, their reads as DynamoDB Local's raw cost).
  const rawTable = 'inventory-cpu-ratio-raw';
  const deps = await stockedTable(rawTable);
  const tableName = 'inventory-cpu-ratio';
  await stockedTable(tableName);
  const services: ServiceUnderTest[] = [
    { label: 'service', ...(await startService(root, dynamo.endpoint, tableName, keyFile)), rounds: [] },
  ];
  if (baselineRoot) {
    const baselineTable = 'inventory-cpu-ratio-baseline';
    await stockedTable(baselineTable);
    const started = await startService(baselineRoot, dynamo.endpoint, baselineTable, keyFile);
    services.push({ label: `baseline (${baselineRoot})`, ...started, rounds: [] });
  }
  try {
    const buyerIds = Array.from({ length: 200 }, (_, i) => parsePrincipalId(`bench-buyer-${i}`));
    const buyers = await Promise.all(
      buyerIds.map((sub) => signDevToken(key, { sub, roles: ['storefront'] })),
    );
    const reserve = (url: string) => async (i: number) => {
      const response = await fetch(`${url}/reservations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${buyers[i % buyers.length]}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sku: skus[(i * 7919) % skus.length] as Sku,
          locationId: warehouse,
          quantity: 1,
          ttlSeconds: 900,
        }),
      });
      await response.arrayBuffer();
      return response.status === 201;
    };
    const rawRound = () =>
      rawReserveCeiling(client, rawTable, levels, buyerIds, deps.ids, reserves, CONCURRENCY, HOLD_CAP);

    log('warming up DynamoDB Local and the service (JIT on both sides)...');
    await rawReserveCeiling(client, rawTable, levels, buyerIds, deps.ids, 3_000, CONCURRENCY, HOLD_CAP);
    for (const service of services) await runLoad(1_000, CONCURRENCY, reserve(service.url));

    for (let r = 1; r <= runs; r++) {
      const direct = await cpuPerOperation({ dynamoDbLocal: dynamo.pid }, rawRound);
      failIfAnyFailed(direct.result, 'raw');
      // Which service goes first alternates: the one after inherits the other's stream backlog in DynamoDB Local.
      for (const service of r % 2 === 0 ? [...services].reverse() : services) {
        const viaService = await cpuPerOperation({ service: service.pid, dynamoDbLocal: dynamo.pid }, () =>
          runLoad(reserves, CONCURRENCY, reserve(service.url)),
        );
        failIfAnyFailed(viaService.result, `through ${service.label}`);
        const figures: Round = {
          serviceOpsPerSec: viaService.result.opsPerSec,
          rawOpsPerSec: direct.result.opsPerSec,
          serviceCpuMs: viaService.cpu.service ?? Number.NaN,
          dynamoCpuMsThroughService: viaService.cpu.dynamoDbLocal ?? Number.NaN,
          dynamoCpuMsRaw: direct.cpu.dynamoDbLocal ?? Number.NaN,
        };
        service.rounds.push(figures);
        log(
          `round ${r}/${runs}, ${service.label}: ${round(figures.serviceOpsPerSec, 0)}/s, raw ${round(figures.rawOpsPerSec, 0)}/s; ` +
            `CPU ms per reserve: service ${figures.serviceCpuMs}, DynamoDB Local ${figures.dynamoCpuMsThroughService} ` +
            `(through the service) / ${figures.dynamoCpuMsRaw} (raw)`,
        );
      }
    }
    const summaries = services.map((service) => ({ label: service.label, ...summarize(service.rounds) }));
    for (const summary of summaries)
      log(
        [
          `${summary.label}, over ${runs} rounds of ${reserves} reserves, median [min..max]:`,
          `  reserves/s through the service   ${format(summary.serviceOpsPerSec)}`,
          `  raw transactions/s               ${format(summary.rawOpsPerSec)}`,
          `  throughput ratio                 ${format(summary.throughputRatio)}`,
          `  service CPU ms per reserve       ${format(summary.serviceCpuMsPerReserve)}`,
          `  DynamoDB Local CPU ms, raw       ${format(summary.dynamoCpuMsPerReserveRaw)}`,
          `  DynamoDB Local CPU ms, service   ${format(summary.dynamoCpuMsPerReserveThroughService)}`,
          `  service CPU / DynamoDB Local CPU ${format(summary.cpuRatio)}`,
        ].join('\n'),
      );
    console.log(JSON.stringify({ runs, reservesPerRound: reserves, services: summaries }));
  } finally {
    for (const service of services) {
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    }
    client.destroy();
    await dynamo.stop();
  }
}

function summarize(rounds: readonly Round[]) {
  return {
    serviceOpsPerSec: spread(
      rounds.map((r) => r.serviceOpsPerSec),
      0,
    ),
    rawOpsPerSec: spread(
      rounds.map((r) => r.rawOpsPerSec),
      0,
    ),
    throughputRatio: spread(rounds.map((r) => r.serviceOpsPerSec / r.rawOpsPerSec)),
    serviceCpuMsPerReserve: spread(rounds.map((r) => r.serviceCpuMs)),
    dynamoCpuMsPerReserveThroughService: spread(rounds.map((r) => r.dynamoCpuMsThroughService)),
    dynamoCpuMsPerReserveRaw: spread(rounds.map((r) => r.dynamoCpuMsRaw)),
    cpuRatio: spread(rounds.map((r) => r.serviceCpuMs / r.dynamoCpuMsRaw)),
  };
}

function failIfAnyFailed(load: LoadResult, what: string): void {
  if (load.failed > 0) throw new Error(`${load.failed} of ${load.operations} reserves failed ${what}`);
}

/** The service in its own process (bench/service-process.ts); BENCH_SERVICE_NODE_OPTIONS profiles it. */
async function startService(
  root: string,
  endpoint: string,
  tableName: string,
  keyFile: string,
): Promise<{ url: string; pid: number | undefined; child: ChildProcess }> {
  const nodeOptions = (process.env.BENCH_SERVICE_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeOptions, '--import', 'tsx', join(root, 'bench', 'service-process.ts')],
    {
      env: {
        ...process.env,
        BENCH_DYNAMO_ENDPOINT: endpoint,
        BENCH_TABLE: tableName,
        BENCH_KEY_FILE: keyFile,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  process.once('exit', () => child.kill('SIGKILL'));
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    try {
      const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
      if (parsed.ready && parsed.url) return { url: parsed.url, pid: child.pid, child };
    } catch {
      // not the ready line
    }
  }
  throw new Error('the service process exited before it was ready');
}
