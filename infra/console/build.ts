import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** The console's sources (console/, beside infra/). */
export const CONSOLE_SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '../../console');
/** Where `npm run build:console` and `npm start` write the built console. */
export const CONSOLE_DIST = join(CONSOLE_SOURCE, 'dist');

/** The files of a built console: what the local runtime serves and the Console stack uploads (config.json apart). */
export const CONSOLE_FILES = ['index.html', 'app.js', 'app.css', 'uPlot.min.css'] as const;

/**
 * Builds the operator console into `outdir`: its TypeScript and JSX (preact) bundled by esbuild into one minified
 * `app.js`, with its page, its style sheet and uPlot's. Synchronous (well under a second), so that the CDK app can
 * build it while it synthesizes and `npm start` before it serves. Nothing is fetched at run time from elsewhere.
 */
export function buildConsole(outdir: string = CONSOLE_DIST): string {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  buildSync({
    entryPoints: [join(CONSOLE_SOURCE, 'src/main.tsx')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(CONSOLE_SOURCE, 'tsconfig.json'),
    legalComments: 'none',
    logLevel: 'error',
  });
  copyFileSync(join(CONSOLE_SOURCE, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(CONSOLE_SOURCE, 'app.css'), join(outdir, 'app.css'));
  const require = createRequire(import.meta.url);
  copyFileSync(require.resolve('uplot/dist/uPlot.min.css'), join(outdir, 'uPlot.min.css'));
  return outdir;
}
