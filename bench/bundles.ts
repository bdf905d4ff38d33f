import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { API_BUNDLE_BUDGET_BYTES, LAMBDA_BUNDLE } from '../infra/bundling.js';
import { POWERTOOLS_ENVIRONMENT } from '../infra/function-environment.js';
import { LIVE_MANAGEMENT_ENDPOINT } from '../shared/live/live-runtime.js';
import { ROUTE_TABLE } from '../shared/platform/http/route-table.js';

export interface BundleFigure {
  readonly handler: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Median time to import the bundle in a fresh Node process (module load and cold-start code). */
  readonly loadMs: number;
  /** An API route's function has a size budget (infra/bundling.ts); background functions have none. */
  readonly budgetBytes: number | null;
}

/**
 * Bundles every Lambda entry point as the stack does (infra/bundling.ts: esbuild, minified, ESM, the AWS SDK
 * left to the runtime), then times importing each bundle in a fresh process: that is the module-load part of a
 * cold start, the runtime's SDK included (the bundles are written inside the repository, so that the SDK they
 * import resolves to node_modules as it resolves to the runtime's copy on Lambda).
 */
export async function measureBundles(root: string, runs: number): Promise<BundleFigure[]> {
  const out = join(root, 'bench-results', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const apiHandlers = new Set(ROUTE_TABLE.map((route) => route.handler));
  const names = readdirSync(join(root, 'functions'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));
  // One esbuild run for every entry point: each still gets a bundle of its own, as the stack builds them.
  await bundle(root, names, out, LAMBDA_BUNDLE.external);
  // What leaving the SDK to the runtime saves and costs, side by side: the reserve route with the SDK bundled.
  await bundle(root, [COMPARED], join(out, 'sdk-bundled'), []);
  const bundles = [
    ...names.map((name) => ({ name, file: join(out, name, 'index.mjs') })),
    { name: `${COMPARED} (SDK bundled)`, file: join(out, 'sdk-bundled', COMPARED, 'index.mjs') },
  ];
  return bundles.map(({ name, file }) => {
    const code = readFileSync(file);
    const times = Array.from({ length: runs }, () => importTime(file, name)).sort((a, b) => a - b);
    return {
      handler: name,
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      loadMs: times[Math.floor(times.length / 2)] ?? 0,
      budgetBytes: apiHandlers.has(`functions/${name}.ts`) ? API_BUNDLE_BUDGET_BYTES : null,
    };
  });
}

const COMPARED = 'reserve-stock';

async function bundle(root: string, names: readonly string[], outdir: string, external: readonly string[]) {
  await build({
    entryPoints: names.map((name) => ({
      in: join(root, 'functions', `${name}.ts`),
      out: join(name, 'index'),
    })),
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: LAMBDA_BUNDLE.format,
    target: LAMBDA_BUNDLE.target,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...external],
    banner: { js: LAMBDA_BUNDLE.banner },
    logLevel: 'silent',
  });
}

/** What the functions check at cold start, with placeholder values (nothing is called). */
const COLD_START_ENVIRONMENT = {
  TABLE_NAME: 'bench',
  AWS_REGION: 'us-east-1',
  CART_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:bench',
  EVENT_BUS_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  [LIVE_MANAGEMENT_ENDPOINT]: 'https://bench.execute-api.us-east-1.amazonaws.com/live',
  LIVE_JWT_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench',
  LIVE_JWT_AUDIENCE: 'bench',
  LIVE_JWKS_URI: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench/.well-known/jwks.json',
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
