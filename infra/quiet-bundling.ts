/** What CDK writes to stderr before it bundles each asset, whatever the CLI's `--quiet`. */
const PROGRESS = /^Bundling asset \S+\.\.\.\r?\n$/;

/**
 * `npm run synth` is quiet: it swallows CDK's `Bundling asset <path>...` line per function and writes one line
 * with their number instead. esbuild itself only reports warnings and errors (ServiceFunction's `logLevel`), and
 * an error still fails the synthesis with its message.
 */
export function quietBundlingProgress(stream: NodeJS.WriteStream = process.stderr): void {
  let bundled = 0;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && PROGRESS.test(chunk)) {
      bundled += 1;
      return true;
    }
    return write(chunk, ...rest);
  }) as typeof stream.write;
  process.once('exit', () => {
    if (bundled) write(`Bundled ${bundled} assets with esbuild\n`);
  });
}
