/** What CDK writes to stderr before it bundles each asset, whatever the CLI's `--quiet`. */
const PROGRESS = /^Bundling asset \S+\.\.\.\r?\n$/;

type Write = (...args: unknown[]) => boolean;

/**
 * `npm run synth` is quiet: it swallows CDK's `Bundling asset <path>...` line per function and writes one line
 * with their number at exit instead. esbuild itself only reports warnings and errors (ServiceFunction's
 * `logLevel`), and a failed bundling still fails the synthesis with its message.
 */
export function quietBundlingProgress(stream: { write: unknown } = process.stderr): { bundled(): number } {
  let bundled = 0;
  const write = (stream.write as Write).bind(stream);
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && PROGRESS.test(chunk)) {
      bundled += 1;
      return true;
    }
    return write(chunk, ...rest);
  };
  process.once('exit', () => {
    if (bundled) write(`Bundled ${bundled} assets with esbuild\n`);
  });
  return { bundled: () => bundled };
}
