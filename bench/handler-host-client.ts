import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load.js';

/** A running bench/handler-host.ts: the reserve handler alone in its own process. */
export interface HandlerHost {
  readonly pid: number | undefined;
  /** Invokes the handler `reserves` times, `concurrency` at a time; answers the load and the host's CPU over it. */
  run(reserves: number, concurrency: number): Promise<{ load: LoadResult; cpu: NodeJS.CpuUsage }>;
  stop(): Promise<void>;
}

/** Whether the checkout at `root` has a handler host (a baseline from before it existed has none). */
export function hasHandlerHost(root: string): boolean {
  return existsSync(join(root, 'bench', 'handler-host.ts'));
}

/**
 * Starts the handler host of the checkout at `root`, on its own table; null when that checkout has none (a
 * baseline from before it existed). BENCH_HANDLER_NODE_OPTIONS profiles it, as BENCH_SERVICE_NODE_OPTIONS the service.
 */
export async function startHandlerHost(
  root: string,
  endpoint: string,
  tableName: string,
  keyFile: string,
): Promise<HandlerHost | null> {
  if (!hasHandlerHost(root)) return null;
  const script = join(root, 'bench', 'handler-host.ts');
  const nodeOptions = (process.env.BENCH_HANDLER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = fork(script, [], {
    execArgv: [...nodeOptions, '--import', 'tsx'],
    env: { ...process.env, BENCH_DYNAMO_ENDPOINT: endpoint, BENCH_TABLE: tableName, BENCH_KEY_FILE: keyFile },
    // Its stdout to the bench's stderr: the bench's stdout ends with its one JSON line.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the handler host exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    pid: child.pid,
    async run(reserves, concurrency) {
      const answer = next();
      child.send({ reserves, concurrency });
      return (await answer) as { load: LoadResult; cpu: NodeJS.CpuUsage };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}
