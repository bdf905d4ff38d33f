import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { POWERTOOLS_ENVIRONMENT } from '../infra/function-environment.js';

export interface BundleFigure {
  readonly handler: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median time to import the bundle in a fresh Node process (module load and cold-start code). */
  readonly loadMs: number;
}

/**
 * Bundles every Lambda entry point as the stack does (esbuild, minified, ESM, the AWS SDK included), then
 * times importing each bundle in a fresh process: that is the module-load part of a cold start.
 */
export async function measureBundles(root: string, runs: number): Promise<BundleFigure[]> {
  const out = mkdtempSync(join(tmpdir(), 'inventory-bundles-'));
  try {
    const names = readdirSync(join(root, 'functions'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''));
    // One esbuild run for every entry point: each still gets a bundle of its own, as the stack builds them.
    await build({
      entryPoints: names.map((name) => ({
        in: join(root, 'functions', `${name}.ts`),
        out: join(name, 'index'),
      })),
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: {
        js: "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const figures: BundleFigure[] = [];
    for (const name of names) {
      const outfile = join(out, name, 'index.mjs');
      const code = readFileSync(outfile);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const ms = importTime(outfile, name);
        times.push(ms);
      }
      times.sort((a, b) => a - b);
      figures.push({
        handler: name,
        bytes: code.length,
        gzipBytes: gzipSync(code).length,
        loadMs: times[Math.floor(times.length / 2)] ?? 0,
      });
    }
    return figures;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** What the functions check at cold start, with placeholder values (nothing is called). */
const COLD_START_ENVIRONMENT = {
  TABLE_NAME: 'bench',
  AWS_REGION: 'us-east-1',
  CART_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:bench',
  EVENT_BUS_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...POWERTOOLS_ENVIRONMENT,
};

/** Milliseconds to import a bundle in a fresh Node process. */
function importTime(outfile: string, name: string): number {
  try {
    const ms = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(`file://${outfile}`)});console.log(performance.now()-t)`,
      ],
      {
        env: { ...process.env, ...COLD_START_ENVIRONMENT },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return Number(ms.trim().split('\n').at(-1));
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /Error|problems/.test(line) && line.length < 300);
    throw new Error(`the ${name} bundle failed to load: ${reason ?? 'see its stderr'}`);
  }
}
