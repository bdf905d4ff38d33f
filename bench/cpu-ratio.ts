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
import { parsePrincipalId } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient, createLowLevelClient } from '../shared/platform/store/document-client.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { cpuPerOperation } from './cpu.js';
import {
  cpuMsPerOperation,
  type HandlerRound,
  type Round,
  renderSummary,
  summarize,
} from './cpu-ratio-figures.js';
import { type HandlerHost, hasHandlerHost, startHandlerHost } from './handler-host-client.js';
import { type LoadResult, runLoad } from './load.js';
import { rawReserveCeiling, throughDocumentClient, throughLowLevelClient } from './raw-store.js';
import { CPU_RATIO_BUYERS, CPU_RATIO_SKUS, CPU_RATIO_WAREHOUSE, nthReserve } from './reserve-invocation.js';

/**
 * `npm run bench -- --cpu-ratio [--runs 5] [--reserves 2000]`: the service's own cost per reserve, over several
 * rounds side by side. Each round sends `reserves` reserves of the same transaction raw to DynamoDB Local, then
 * as many through the service's HTTP API and as many straight to the reserve Lambda handler in a process of its
 * own (bench/handler-host.ts: what Lambda bills, without the API Gateway stand-in and the background consumers;
 * which of the two goes first alternates), and reads from /proc the CPU each process spent per reserve (the
 * handler host's from process.cpuUsage). Prints, per round and as median [min..max] over the rounds: reserves/s
 * of each, their ratio, the service process's CPU ms per reserve, the handler's, DynamoDB Local's (raw, through
 * the service, through the handler), and the ratios of the service's and the handler's CPU to DynamoDB Local's raw
 * (their cost against the store's). Ends with one JSON line.
 * `--compare-with <dir>` also starts the service of another checkout (e.g. `git archive main | tar -x -C <dir>`, its
 * node_modules linked) on a table of its own, and runs its rounds between this one's, so that both meet the
 * same machine: on a shared machine, before and after are only comparable side by side.
 */
const CONCURRENCY = 32;
const HOLD_CAP = 10_000;

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

interface ServiceUnderTest {
  readonly label: string;
  readonly url: string;
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  /** Its reserve handler alone (null for a baseline checkout without bench/handler-host.ts). */
  handler: HandlerHost | null;
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
  // The SDK's leanest client: the document client's own low-level client, plus the middleware cache.
  const lean = createLowLevelClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials,
    cacheMiddleware: true,
  });
  const keyFile = join(mkdtempSync(join(tmpdir(), 'inventory-cpu-ratio-')), 'key.json');
  const key = await loadOrCreateDevSigningKey(keyFile);
  const admin = parsePrincipalId('bench-admin');
  const warehouse = CPU_RATIO_WAREHOUSE;
  const skus = CPU_RATIO_SKUS;
  const levels = skus.map((sku) => ({ sku, locationId: warehouse }));
  /**
   * A table of its own per service, per handler host and for the raw rounds (consumers see only their service's
   * reserves), stocked.
   */
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
  const services: ServiceUnderTest[] = [];
  const underTest = async (label: string, checkout: string, table: string) => {
    await stockedTable(table);
    if (hasHandlerHost(checkout)) await stockedTable(`${table}-handler`);
    const started = await startService(checkout, dynamo.endpoint, table, keyFile);
    const service: ServiceUnderTest = { label, ...started, handler: null, rounds: [] };
    services.push(service);
    service.handler = await startHandlerHost(checkout, dynamo.endpoint, `${table}-handler`, keyFile);
  };
  try {
    await underTest('service', root, tableName);
    if (baselineRoot)
      await underTest(`baseline (${baselineRoot})`, baselineRoot, 'inventory-cpu-ratio-baseline');
    const buyerIds = CPU_RATIO_BUYERS;
    const buyers = await Promise.all(
      buyerIds.map((sub) => signDevToken(key, { sub, roles: ['storefront'] })),
    );
    const reserve = (url: string) => async (i: number) => {
      const { buyer, body } = nthReserve(i);
      const response = await fetch(`${url}/reservations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${buyers[buyer]}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status === 201;
    };
    const documentSend = throughDocumentClient(client);
    const leanSend = throughLowLevelClient(lean);
    const rawRound = (send = documentSend) =>
      rawReserveCeiling(send, rawTable, levels, buyerIds, deps.ids, reserves, CONCURRENCY, HOLD_CAP);
    // The raw rounds' own CPU is the SDK's floor (ADR 52): this process only builds each transaction and sends it.
    const rawFloor = async (send: typeof documentSend) => {
      const measured = await cpuPerOperation({ dynamoDbLocal: dynamo.pid, client: process.pid }, () =>
        rawRound(send),
      );
      failIfAnyFailed(measured.result, 'raw');
      return measured;
    };

    log('warming up DynamoDB Local, the service and its handler (JIT on all sides)...');
    for (const send of [documentSend, leanSend])
      await rawReserveCeiling(send, rawTable, levels, buyerIds, deps.ids, 1_500, CONCURRENCY, HOLD_CAP);
    for (const service of services) {
      await runLoad(1_000, CONCURRENCY, reserve(service.url));
      await service.handler?.run(1_000, CONCURRENCY);
    }

    const throughService = async (service: ServiceUnderTest) => {
      const measured = await cpuPerOperation({ service: service.pid, dynamoDbLocal: dynamo.pid }, () =>
        runLoad(reserves, CONCURRENCY, reserve(service.url)),
      );
      failIfAnyFailed(measured.result, `through ${service.label}`);
      return measured;
    };
    const throughHandler = async (service: ServiceUnderTest): Promise<HandlerRound | null> => {
      const host = service.handler;
      if (!host) return null;
      const measured = await cpuPerOperation({ host: host.pid, dynamoDbLocal: dynamo.pid }, async () => {
        const run = await host.run(reserves, CONCURRENCY);
        return { operations: run.load.operations, ...run };
      });
      failIfAnyFailed(measured.result.load, `through ${service.label}'s handler`);
      log(
        `  ${service.label}'s handler host: CPU ms per reserve ${cpuMsPerOperation(measured.result.cpu, reserves)} ` +
          `(process.cpuUsage), ${measured.cpu.host} (/proc)`,
      );
      return {
        opsPerSec: measured.result.load.opsPerSec,
        cpuMs: cpuMsPerOperation(measured.result.cpu, reserves),
        dynamoCpuMs: measured.cpu.dynamoDbLocal ?? Number.NaN,
      };
    };

    for (let r = 1; r <= runs; r++) {
      const direct = await rawFloor(documentSend);
      const leanest = await rawFloor(leanSend);
      const sdkFloor = {
        documentClientCpuMs: direct.cpu.client ?? Number.NaN,
        lowLevelClientCpuMs: leanest.cpu.client ?? Number.NaN,
      };
      // Which service goes first alternates, and whether its HTTP round or its handler's goes first: the round
      // after inherits the one before's stream backlog in DynamoDB Local.
      for (const service of r % 2 === 0 ? [...services].reverse() : services) {
        const handlerFirst = r % 2 === 0;
        const handler = handlerFirst ? await throughHandler(service) : null;
        const viaService = await throughService(service);
        const figures: Round = {
          serviceOpsPerSec: viaService.result.opsPerSec,
          rawOpsPerSec: direct.result.opsPerSec,
          serviceCpuMs: viaService.cpu.service ?? Number.NaN,
          dynamoCpuMsThroughService: viaService.cpu.dynamoDbLocal ?? Number.NaN,
          dynamoCpuMsRaw: direct.cpu.dynamoDbLocal ?? Number.NaN,
          sdkFloor,
          handler: handlerFirst ? handler : await throughHandler(service),
        };
        service.rounds.push(figures);
        log(
          `round ${r}/${runs}, ${service.label}: ${round(figures.serviceOpsPerSec, 0)}/s, raw ${round(figures.rawOpsPerSec, 0)}/s` +
            `${figures.handler ? `, handler ${round(figures.handler.opsPerSec, 0)}/s` : ''}; ` +
            `CPU ms per reserve: service ${figures.serviceCpuMs}` +
            `${figures.handler ? `, handler ${figures.handler.cpuMs}` : ''}, DynamoDB Local ${figures.dynamoCpuMsThroughService} ` +
            `(through the service)${figures.handler ? ` / ${figures.handler.dynamoCpuMs} (through the handler)` : ''} / ${figures.dynamoCpuMsRaw} (raw)`,
        );
      }
    }
    const summaries = services.map((service) => ({ label: service.label, ...summarize(service.rounds) }));
    for (const summary of summaries) log(renderSummary(summary.label, runs, reserves, summary));
    console.log(JSON.stringify({ runs, reservesPerRound: reserves, services: summaries }));
  } finally {
    for (const service of services) {
      await service.handler?.stop();
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    }
    client.destroy();
    lean.destroy();
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
