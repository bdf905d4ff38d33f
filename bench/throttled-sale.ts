import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';
import type { LocationId, PrincipalId } from '../shared/kernel/identifiers.js';
import { parseSku, type Sku } from '../shared/kernel/identifiers.js';
import type { UseCaseDeps } from '../shared/platform/use-cases/context.js';
import { readLevel } from '../shared/stock/use-cases/reads.js';
import { shardLevel } from '../shared/stock/use-cases/sharding.js';
import { receiveStock } from '../shared/stock/use-cases/stock-operations.js';
import { BENCH_HOLD_TTL_SECONDS, type LoadResult, percentile } from './load.js';
import { unitsOversold } from './oversold.js';
import { lineChart } from './svg-chart.js';

/**
 * The flash sale under DynamoDB's write limits (infra/local/throttling, scaled by FACTOR so that this machine
 * reaches them, in `partition-key` mode: every partition key value is one partition, as on a cold table; a level's
 * shards have partition keys of their own, ADR 34): a service process whose DynamoDB client is throttled as DynamoDB throttles, the same sale at
 * 1, 4, 16 and 64 shards in one run (reserves/s that succeeded, p99, 503s, oversold), then a sale on an
 * unsharded level with the automatic sharding job running every few seconds (time to the first split,
 * throughput before and after). Writes three SVG charts next to the results.
 */
export const FACTOR = 0.004;
/** What the capacity model (docs/hot-skus.md) allows one shard: its level item takes 2 WCU per reserve. */
export const modelReservesPerShard = (factor: number) => (1_000 * factor) / 2;

export interface ThrottledSaleContext {
  readonly root: string;
  readonly endpoint: string;
  readonly tableName: string;
  readonly keyFile: string;
  readonly deps: UseCaseDeps;
  readonly warehouse: LocationId;
  readonly admin: PrincipalId;
  readonly tokens: readonly string[];
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

interface Timed {
  readonly at: number;
  readonly ms: number;
  readonly status: number;
}

export interface ThrottledFigure {
  readonly name: string;
  readonly load: LoadResult;
  readonly oversold: number;
  readonly note: string;
}

export async function throttledSale(ctx: ThrottledSaleContext): Promise<ThrottledFigure[]> {
  const seconds = ctx.quick ? 4 : 15;
  const service = await startThrottledService(ctx, {
    BENCH_AUTO_SHARD_EVERY_MS: String(ctx.quick ? 3_000 : 5_000),
  });
  const figures: ThrottledFigure[] = [];
  const perShards: { shards: number; opsPerSec: number; latencies: number[] }[] = [];
  try {
    for (const shards of [1, 4, 16, 64]) {
      const sku = parseSku(`THROTTLED-${shards}-${Date.now().toString(36)}`);
      await stock(ctx, sku, 100_000);
      if (shards > 1) await shardLevel(ctx.deps, { sku, locationId: ctx.warehouse, shards }, ctx.admin);
      ctx.log(`throttled flash sale (x${FACTOR} limits), ${shards} shard(s), ${seconds} s...`);
      const timed = await sale(ctx, service.url, sku, seconds * 1000);
      const figure = await figureOf(
        ctx,
        `throttled sale, ${shards} shard${shards > 1 ? 's' : ''}`,
        sku,
        timed,
        seconds,
      );
      figures.push(figure);
      perShards.push({
        shards,
        opsPerSec: figure.load.opsPerSec,
        latencies: timed.map((t) => t.ms).sort((a, b) => a - b),
      });
    }

    const autoSeconds = ctx.quick ? 20 : 60;
    const sku = parseSku(`AUTO-SPLIT-${Date.now().toString(36)}`);
    await stock(ctx, sku, 100_000);
    ctx.log(`throttled sale with automatic sharding, ${autoSeconds} s...`);
    const shardsOverTime: [number, number][] = [];
    const started = Date.now();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const level = await readLevel(ctx.deps, sku, ctx.warehouse);
        shardsOverTime.push([(Date.now() - started) / 1000, level.shards]);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const timed = await sale(ctx, service.url, sku, autoSeconds * 1000, started);
    polling = false;
    await poll;
    const firstSplit = shardsOverTime.find(([, n]) => n > 1)?.[0] ?? null;
    const perSecond = Array.from({ length: autoSeconds }, (_, s) => [
      s,
      timed.filter((t) => t.status === 201 && Math.floor(t.at / 1000) === s).length,
    ]) as [number, number][];
    const before = firstSplit === null ? perSecond : perSecond.filter(([s]) => s < firstSplit);
    const after = perSecond.slice(Math.floor((autoSeconds * 2) / 3));
    const mean = (xs: readonly [number, number][]) =>
      xs.length ? xs.reduce((a, [, y]) => a + y, 0) / xs.length : 0;
    const finalShards = shardsOverTime[shardsOverTime.length - 1]?.[1] ?? 1;
    const auto = await figureOf(ctx, 'throttled sale, automatic sharding', sku, timed, autoSeconds);
    figures.push({
      ...auto,
      note: `${auto.note}; first split at ${firstSplit === null ? 'never' : `${firstSplit.toFixed(1)} s`}, ${Math.round(mean(before))}/s before, ${Math.round(mean(after))}/s in the last third, ${finalShards} shards at the end`,
    });

    writeCharts(ctx.root, perShards, perSecond, shardsOverTime);
  } finally {
    service.child.kill('SIGTERM');
  }
  return figures;
}

async function stock(ctx: ThrottledSaleContext, sku: Sku, quantity: number) {
  await receiveStock(
    ctx.deps,
    { sku, locationId: ctx.warehouse, quantity },
    { actor: ctx.admin, reason: 'bench' },
  );
}

/** 64 buyers, each reserving again as soon as answered, for `ms`. */
async function sale(
  ctx: ThrottledSaleContext,
  url: string,
  sku: Sku,
  ms: number,
  t0 = Date.now(),
): Promise<Timed[]> {
  const timed: Timed[] = [];
  const end = t0 + ms;
  const limit = pLimit(64);
  await Promise.all(
    Array.from({ length: 64 }, (_, w) =>
      limit(async () => {
        for (let i = 0; Date.now() < end; i++) {
          const started = performance.now();
          const at = Date.now() - t0;
          const response = await fetch(`${url}/reservations`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${ctx.tokens[(w * 7 + i) % ctx.tokens.length]}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              sku,
              locationId: ctx.warehouse,
              quantity: 1,
              ttlSeconds: BENCH_HOLD_TTL_SECONDS,
            }),
          });
          await response.arrayBuffer();
          timed.push({ at, ms: performance.now() - started, status: response.status });
        }
      }),
    ),
  );
  return timed;
}

async function figureOf(
  ctx: ThrottledSaleContext,
  name: string,
  sku: Sku,
  timed: readonly Timed[],
  seconds: number,
): Promise<ThrottledFigure> {
  const latencies = timed.map((t) => t.ms).sort((a, b) => a - b);
  // Until the last answer: a request started near the end of the sale may be answered well after it.
  const elapsed = Math.max(seconds, ...timed.map((t) => (t.at + t.ms) / 1000));
  const held = timed.filter((t) => t.status === 201).length;
  const busy = timed.filter((t) => t.status === 503).length;
  const other = timed.filter((t) => ![201, 409, 503].includes(t.status)).length;
  const level = await readLevel(ctx.deps, sku, ctx.warehouse);
  // A 503 outcome-unknown may have held its unit: the level may hold more than the 201s, never fewer.
  const oversold = unitsOversold(level) + Math.max(0, held - level.reserved) + other;
  return {
    name,
    load: {
      operations: timed.length,
      succeeded: held,
      failed: timed.length - held,
      seconds: elapsed,
      opsPerSec: held / elapsed,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
    },
    oversold,
    note: `${held} held in ${elapsed.toFixed(1)} s, ${busy} answered 503${other ? `, ${other} OTHER` : ''}, level shows ${level.reserved} reserved`,
  };
}

function writeCharts(
  root: string,
  perShards: readonly { shards: number; opsPerSec: number; latencies: number[] }[],
  perSecond: readonly [number, number][],
  shardsOverTime: readonly [number, number][],
) {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'throttled-throughput.svg'),
    lineChart({
      title: `Throttled flash sale: reserves/s against shards (limits x${FACTOR})`,
      xLabel: 'shards per level',
      yLabel: 'successful reserves/s',
      logX: true,
      series: [
        { name: 'measured', points: perShards.map((p) => [p.shards, p.opsPerSec]) },
        { name: 'model', points: perShards.map((p) => [p.shards, p.shards * modelReservesPerShard(FACTOR)]) },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'throttled-latency.svg'),
    lineChart({
      title: 'Throttled flash sale: latency distribution (all answers)',
      xLabel: 'latency ms',
      yLabel: 'fraction of requests answered within',
      series: perShards.map((p) => ({
        name: `${p.shards} shard${p.shards > 1 ? 's' : ''}`,
        points: Array.from(
          { length: 41 },
          (_, i) => [percentile(p.latencies, (i * 100) / 40), i / 40] as [number, number],
        ),
      })),
    }),
  );
  writeFileSync(
    join(dir, 'auto-split.svg'),
    lineChart({
      title: 'Automatic sharding during a throttled sale',
      xLabel: 'seconds',
      yLabel: 'reserves/s, shards',
      series: [
        { name: 'reserves/s', points: perSecond },
        { name: 'shards', points: shardsOverTime },
      ],
    }),
  );
}

async function startThrottledService(
  ctx: ThrottledSaleContext,
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ctx.root, 'bench', 'service-process.ts')], {
    env: {
      ...process.env,
      ...env,
      BENCH_DYNAMO_ENDPOINT: ctx.endpoint,
      BENCH_TABLE: ctx.tableName,
      BENCH_KEY_FILE: ctx.keyFile,
      BENCH_THROTTLE_FACTOR: String(FACTOR),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    try {
      const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
      if (parsed.ready && parsed.url) return { url: parsed.url, child };
    } catch {
      // a log line
    }
  }
  throw new Error('the throttled service process ended before it was ready');
}
