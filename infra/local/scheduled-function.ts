import { randomUUID } from 'node:crypto';
import { loadFunction, localLambdaContext } from './lambda-context.js';
import type { LocalService } from './local-service.js';

export interface ScheduledFunctionOptions {
  readonly name: string;
  /** The Lambda entry point, relative to the repository root (the file the stack deploys). */
  readonly handler: string;
  readonly everyMs: number;
  readonly timeoutMs: number;
}

/**
 * EventBridge Scheduler on a laptop: invokes a function's handler on an interval, never two runs at once, the
 * way the stack's schedule invokes the deployed function.
 */
export class ScheduledFunction implements LocalService {
  readonly name: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private handler:
    | ((event: unknown, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>)
    | null = null;

  constructor(private readonly options: ScheduledFunctionOptions) {
    this.name = options.name;
  }

  async start(): Promise<void> {
    this.handler = await loadFunction(this.options.handler);
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMs);
    this.timer.unref();
  }

  /** One invocation now (or the one already running), as the schedule would make it. */
  runOnce(): Promise<unknown> {
    if (!this.handler) return Promise.reject(new Error(`${this.name} is not started`));
    const handler = this.handler;
    this.running ??= handler(
      { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: new Date().toISOString() },
      localLambdaContext(this.name, randomUUID(), this.options.timeoutMs),
    )
      .catch((error: unknown) => console.error(`${this.name}: run failed`, error))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
