import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spread } from './cpu-ratio-figures.js';

/**
 * `npm run bench -- --runs N [--quick]`: the whole benchmark N times, one after the other, each in a process of
 * its own on a fresh DynamoDB Local; then every figure as median [min..max] over the runs, side by side, so that
 * the figure of record is never one lucky run. Each run's results stay in bench-results/run-K.json; the spread is
 * printed and written to bench-results/runs.json.
 */

/** The figures of one run's bench-results/latest.json that vary from run to run, by name. */
export function figuresOf(latest: unknown): Record<string, number> {
  const figures: Record<string, number> = {};
  const run = latest as {
    summary?: Record<string, unknown>;
    scenarios?: { name: string; load: Record<string, unknown>; oversold: unknown }[];
    cpuMsPerReserve?: Record<string, Record<string, unknown>>;
    memory?: Record<string, unknown>;
  };
  const put = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isFinite(value)) figures[name] = value;
  };
  for (const [key, value] of Object.entries(run.summary ?? {})) put(key, value);
  for (const s of run.scenarios ?? []) {
    put(`${s.name}: ops/s`, s.load.opsPerSec);
    put(`${s.name}: p50 ms`, s.load.p50Ms);
    put(`${s.name}: p99 ms`, s.load.p99Ms);
    put(`${s.name}: oversold`, s.oversold);
  }
  for (const [of, cpu] of Object.entries(run.cpuMsPerReserve ?? {}))
    for (const [process, ms] of Object.entries(cpu)) put(`CPU ms per reserve (${of}): ${process}`, ms);
  for (const [key, value] of Object.entries(run.memory ?? {})) put(`peak RSS: ${key}`, value);
  return figures;
}

export interface FigureSpread {
  readonly figure: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly (number | null)[];
}

/** Each figure's median and range over the runs (in the order first seen); a run that lacks it shows null. */
export function spreadOverRuns(runs: readonly Record<string, number>[]): FigureSpread[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names.map((figure) => {
    const values = runs.map((r) => r[figure] ?? null);
    const present = values.filter((v): v is number => v !== null);
    return { figure, ...spread(present), values };
  });
}

export async function repeatRunsOnly(root: string, runs: number, log: (line: string) => void): Promise<void> {
  const args = process.argv.slice(2).filter((a, i, all) => a !== '--runs' && all[i - 1] !== '--runs');
  const results = join(root, 'bench-results');
  mkdirSync(results, { recursive: true });
  const figures: Record<string, number>[] = [];
  let spreads: FigureSpread[] = [];
  for (let k = 1; k <= runs; k++) {
    log(`\n=== run ${k} of ${runs} ===`);
    const started = Date.now();
    await runOnce(root, args);
    log(`run ${k} took ${Math.round((Date.now() - started) / 1000)} s`);
    copyFileSync(join(results, 'latest.json'), join(results, `run-${k}.json`));
    figures.push(figuresOf(JSON.parse(readFileSync(join(results, 'latest.json'), 'utf8'))));
    // Written after every run, so that a series cut short still leaves the spread of the runs it finished.
    spreads = spreadOverRuns(figures);
    writeFileSync(
      join(results, 'runs.json'),
      JSON.stringify({ at: new Date().toISOString(), runs: k, figures: spreads }, null, 2),
    );
  }
  log(`\n${runs} runs, median [min..max]:`);
  for (const s of spreads) log(`${s.figure.padEnd(64)} ${s.median} [${s.min}..${s.max}]`);
  console.log(JSON.stringify(Object.fromEntries(spreads.map((s) => [s.figure, s.median]))));
}

function runOnce(root: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'run.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`a bench run exited with ${code}`)),
    );
  });
}
