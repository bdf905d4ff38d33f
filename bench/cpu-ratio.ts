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
 * rounds side by side. Each round sends `reserves` reserves through the service's HTTP API, then the same number
 * of the same transaction raw to DynamoDB Local (alternating, so a neighbour's load falls on both), and reads from
 * /proc the CPU each process spent per reserve. Prints, per round and as median [min..max] over the rounds:
 * reserves/s of each, their ratio, the service process's CPU ms per reserve, DynamoDB Local's (raw), and the ratio
 * of the two (the service's cost against the store's). Ends with one JSON line.
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

export async function cpuRatioOnly(root: string, log: (line: string) => void): Promise<void> {
  const runs = option('--runs', 5);
  const reserves = option('--reserves', 2_000);
  const dynamo = await startDynamoDbLocal();
  const tableName = 'inventory-cpu-ratio';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const raw = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  await ensureTable(raw, tableName);
  raw.destroy();
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  const deps: UseCaseDeps = {
    ...createDynamoStores({ client, tableName }),
    clock: systemClock,
    ids: ulidSource(systemClock),
    holdPolicy: DEFAULT_HOLD_POLICY,
  };
  const keyFile = join(mkdtempSync(join(tmpdir(), 'inventory-cpu-ratio-')), 'key.json');
  const key = await loadOrCreateDevSigningKey(keyFile);
  const service = await startService(root, dynamo.endpoint, tableName, keyFile);
  try {
    const admin = parsePrincipalId('bench-admin');
    const warehouse = parseLocationId('BENCH-WH');
    await createLocation(deps, {
      locationId: warehouse,
      name: 'Bench warehouse',
      region: 'local',
      ownerId: admin,
    });
    const buyerIds = Array.from({ length: 200 }, (_, i) => parsePrincipalId(`bench-buyer-${i}`));
    const buyers = await Promise.all(
      buyerIds.map((sub) => signDevToken(key, { sub, roles: ['storefront'] })),
    );
    const skus = Array.from({ length: 500 }, (_, i) => parseSku(`CPU-${i}`));
    for (const sku of skus)
      await receiveStock(
        deps,
        { sku, locationId: warehouse, quantity: 1_000_000 },
        { actor: admin, reason: 'bench' },
      );
    const levels = skus.map((sku) => ({ sku, locationId: warehouse }));
    const reserve = async (i: number) => {
      const response = await fetch(`${service.url}/reservations`, {
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
    const throughService = () => runLoad(reserves, CONCURRENCY, reserve);
    const rawRound = () =>
      rawReserveCeiling(client, tableName, levels, buyerIds, deps.ids, reserves, CONCURRENCY, HOLD_CAP);

    log('warming up DynamoDB Local and the service (JIT on both sides)...');
    await rawReserveCeiling(client, tableName, levels, buyerIds, deps.ids, 3_000, CONCURRENCY, HOLD_CAP);
    await runLoad(1_000, CONCURRENCY, reserve);

    const processes = { service: service.pid, dynamoDbLocal: dynamo.pid };
    const rounds: Round[] = [];
    for (let r = 1; r <= runs; r++) {
      const viaService = await cpuPerOperation(processes, throughService);
      const direct = await cpuPerOperation(processes, rawRound);
      failIfAnyFailed(viaService.result, 'through the service');
      failIfAnyFailed(direct.result, 'raw');
      const figures: Round = {
        serviceOpsPerSec: viaService.result.opsPerSec,
        rawOpsPerSec: direct.result.opsPerSec,
        serviceCpuMs: viaService.cpu.service ?? Number.NaN,
        dynamoCpuMsThroughService: viaService.cpu.dynamoDbLocal ?? Number.NaN,
        dynamoCpuMsRaw: direct.cpu.dynamoDbLocal ?? Number.NaN,
      };
      rounds.push(figures);
      log(
        `round ${r}/${runs}: service ${round(figures.serviceOpsPerSec, 0)}/s, raw ${round(figures.rawOpsPerSec, 0)}/s; ` +
          `CPU ms per reserve: service ${figures.serviceCpuMs}, DynamoDB Local ${figures.dynamoCpuMsThroughService} ` +
          `(through the service) / ${figures.dynamoCpuMsRaw} (raw)`,
      );
    }
    const summary = {
      runs,
      reservesPerRound: reserves,
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
    log(
      [
        `over ${runs} rounds of ${reserves} reserves, median [min..max]:`,
        `  reserves/s through the service   ${format(summary.serviceOpsPerSec)}`,
        `  raw transactions/s               ${format(summary.rawOpsPerSec)}`,
        `  throughput ratio                 ${format(summary.throughputRatio)}`,
        `  service CPU ms per reserve       ${format(summary.serviceCpuMsPerReserve)}`,
        `  DynamoDB Local CPU ms, raw       ${format(summary.dynamoCpuMsPerReserveRaw)}`,
        `  DynamoDB Local CPU ms, service   ${format(summary.dynamoCpuMsPerReserveThroughService)}`,
        `  service CPU / DynamoDB Local CPU ${format(summary.cpuRatio)}`,
      ].join('\n'),
    );
    console.log(JSON.stringify(summary));
  } finally {
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
    client.destroy();
    await dynamo.stop();
  }
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
