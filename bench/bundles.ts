import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

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
    const handlers = readdirSync(join(root, 'functions')).filter((f) => f.endsWith('.ts'));
    const figures: BundleFigure[] = [];
    for (const file of handlers) {
      const name = file.replace(/\.ts$/, '');
      const outfile = join(out, name, 'index.mjs');
      await build({
        entryPoints: [join(root, 'functions', file)],
        outfile,
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
      const code = readFileSync(outfile);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const ms = execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const t=performance.now();await import(${JSON.stringify(`file://${outfile}`)});console.log(performance.now()-t)`,
          ],
          {
            env: {
              ...process.env,
              TABLE_NAME: 'bench',
              AWS_REGION: 'us-east-1',
              AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            },
            encoding: 'utf8',
          },
        );
        times.push(Number(ms.trim().split('\n').at(-1)));
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
