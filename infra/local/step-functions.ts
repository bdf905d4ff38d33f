import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { EnvironmentName } from '../config.js';
import { aliasHost } from './host-alias.js';
import { loadFunction, localLambdaContext } from './lambda-context.js';
import type { LocalService } from './local-service.js';
import { MapStops } from './map-stops.js';
import './promise-with-resolvers.js';
import {
  LOCAL_ACCOUNT_ID,
  type LocalTask,
  localStateMachineName,
  type SynthesizedStateMachine,
  synthesizeStateMachines,
} from './synthesized-state-machines.js';

type JsonInput = Parameters<StateMachine['run']>[0];
type TaskOverride = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>[string];
type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** One invocation of a Lambda task, as a test may see and change it. */
export interface TaskCall {
  readonly stateName: string;
  /** The Lambda entry point, relative to the repository root. */
  readonly handler: string;
  readonly payload: unknown;
  readonly executionArn: string;
}

/**
 * Wraps every task invocation: call `invoke()` to run the handler (its errors come back as the Lambda service
 * reports a function error), or throw instead to play a failure of the Lambda service itself.
 */
export type TaskInterceptor = (call: TaskCall, invoke: () => Promise<unknown>) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  readonly region: string;
  /** The environment whose stack is synthesized: dev by default. */
  readonly environment?: EnvironmentName;
  readonly host?: string;
  /** 0 (the default) for any free port. */
  readonly port?: number;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: Status;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  done: Promise<void>;
}

interface Loaded {
  readonly machine: SynthesizedStateMachine;
  readonly runner: StateMachine;
  readonly handlers: ReadonlyMap<string, LambdaHandler>;
}

/** An error of the Step Functions API, answered as the JSON protocol does (`__type`, `message`). */
class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** How the Lambda service reports a function's error to Step Functions: `Cause` is the error payload as JSON. */
function functionError(error: unknown): Error {
  const errorType = error instanceof Error && error.name ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack ?? '').split('\n') : [];
  const reported = new Error(JSON.stringify({ errorType, errorMessage, trace }));
  reported.name = errorType;
  return reported;
}

const MAX_EXECUTIONS_KEPT = 1_000;
const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * Step Functions on a laptop, for the calls the service makes (StartSyncExecution, StartExecution,
 * DescribeExecution), over the service's own JSON protocol: the AWS SDK reaches it through
 * `AWS_ENDPOINT_URL_SFN`, so handler code does not change. It runs THE DEFINITIONS THE CDK STACK SYNTHESIZES
 * (see synthesized-state-machines.ts) with aws-local-stepfunctions, each Lambda task invoking in process the
 * handler file its function is built from, with the function's error name as the error that Retry and Catch
 * match, and its payload as `Cause`, as the Lambda service reports them.
 *
 * A state machine is addressed by its construct path below the stack (`arnOf('CartSaga/StateMachine')`). The
 * stack is synthesized at the first execution (or by `ready()`), so a runtime that never runs one pays nothing.
 * Retry delays are the definition's own: nothing is shortened.
 *
 * Two things it adds so that the local run behaves as the cloud's:
 * - The SDK sends StartSyncExecution to the `sync-` host of the endpoint (`sync-states.<region>...` in AWS).
 *   While it runs, this process resolves `sync-<host>` to the stand-in's host, as AWS's DNS resolves `sync-`.
 * - aws-local-stepfunctions starts a Map's queued iterations even after one has failed; Step Functions does
 *   not. For a Map with MaxConcurrency 1 (the cart saga's), an iteration queued behind a failed one is
 *   refused before its handler runs, so that no step is in flight once one has failed, as in the cloud.
 */
export class LocalStepFunctions implements LocalService {
  readonly name = 'step-functions';
  private server: Server | null = null;
  private boundPort = 0;
  private loading: Promise<Map<string, Loaded>> | null = null;
  private interceptor: TaskInterceptor | null = null;
  private unalias: (() => void) | null = null;
  private readonly executions = new Map<string, Execution>();

  constructor(private readonly options: LocalStepFunctionsOptions) {}

  private get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** What `AWS_ENDPOINT_URL_SFN` must be. */
  get endpoint(): string {
    return `http://${this.host}:${this.boundPort}`;
  }

  /** The local ARN of a state machine, by its construct path below the stack: `CartSaga/StateMachine`. */
  arnOf(constructPath: string): string {
    return `arn:aws:states:${this.options.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${localStateMachineName(constructPath)}`;
  }

  /** Sees (and may change) every task invocation from now on; `null` to stop. For tests. */
  intercept(interceptor: TaskInterceptor | null): void {
    this.interceptor = interceptor;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => void this.serve(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.host, () => resolve());
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    this.unalias = aliasHost(`sync-${this.host}`, this.host);
  }

  /** Stops taking requests, aborts the executions still running, and waits for them. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server)
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const execution of running) execution.abort();
    await Promise.all(running.map((e) => e.done));
    this.unalias?.();
    this.unalias = null;
  }

  /** Synthesizes the stack and loads the task handlers now (else at the first execution). */
  async ready(): Promise<void> {
    await this.load();
  }

  private load(): Promise<Map<string, Loaded>> {
    this.loading ??= (async () => {
      const [{ StateMachine }, machines] = await Promise.all([
        import('aws-local-stepfunctions'),
        synthesizeStateMachines({
          environment: this.options.environment ?? 'dev',
          region: this.options.region,
        }),
      ]);
      const loaded = new Map<string, Loaded>();
      for (const machine of machines) {
        const handlers = new Map<string, LambdaHandler>();
        for (const task of machine.tasks.values())
          handlers.set(task.stateName, await loadFunction<unknown, unknown>(task.handler));
        const runner = new StateMachine(
          machine.definition as unknown as ConstructorParameters<typeof StateMachine>[0],
          {
            validationOptions: { checkArn: true, checkPaths: true },
          },
        );
        loaded.set(`arn:aws:states:${this.options.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${machine.name}`, {
          machine,
          runner,
          handlers,
        });
      }
      return loaded;
    })();
    this.loading.catch(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Runs an execution to its end and answers as StartSyncExecution does (EXPRESS state machines only). */
  async startSyncExecution(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const loaded = await this.stateMachine(request.stateMachineArn);
    if (loaded.machine.type !== 'EXPRESS')
      throw new ApiError(
        'StateMachineTypeNotSupported',
        'StartSyncExecution runs EXPRESS state machines only',
      );
    const execution = this.begin(loaded, request, 'express');
    await execution.done;
    return describe(execution);
  }

  /** Starts an execution and answers at once, as StartExecution does. */
  async startExecution(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const loaded = await this.stateMachine(request.stateMachineArn);
    const execution = this.begin(
      loaded,
      request,
      loaded.machine.type === 'EXPRESS' ? 'express' : 'execution',
    );
    return { executionArn: execution.executionArn, startDate: execution.startDate / 1000 };
  }

  describeExecution(request: Record<string, unknown>): Record<string, unknown> {
    const execution =
      typeof request.executionArn === 'string' ? this.executions.get(request.executionArn) : undefined;
    if (!execution)
      throw new ApiError('ExecutionDoesNotExist', `execution ${String(request.executionArn)} does not exist`);
    return describe(execution);
  }

  private async stateMachine(arn: unknown): Promise<Loaded> {
    if (typeof arn !== 'string') throw new ApiError('InvalidArn', 'stateMachineArn is required');
    const loaded = (await this.load()).get(arn);
    if (!loaded) throw new ApiError('StateMachineDoesNotExist', `state machine ${arn} does not exist`);
    return loaded;
  }

  private begin(loaded: Loaded, request: Record<string, unknown>, kind: 'express' | 'execution'): Execution {
    const input = request.input === undefined ? '{}' : request.input;
    if (typeof input !== 'string') throw new ApiError('InvalidExecutionInput', 'input must be a JSON string');
    let parsed: JsonInput;
    try {
      parsed = JSON.parse(input) as JsonInput;
    } catch {
      throw new ApiError('InvalidExecutionInput', 'input is not valid JSON');
    }
    const name = typeof request.name === 'string' && request.name ? request.name : randomUUID();
    const stateMachineArn = String(request.stateMachineArn);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', `:${kind}:`)}:${name}${kind === 'express' ? `:${randomUUID()}` : ''}`;
    const startDate = Date.now();
    const stops = new MapStops();
    const overrides: Record<string, TaskOverride> = {};
    for (const task of loaded.machine.tasks.values()) {
      const handler = loaded.handlers.get(task.stateName);
      if (handler)
        overrides[task.stateName] = (taskInput) =>
          this.runTask(task, handler, taskInput, executionArn, stops);
    }
    const run = loaded.runner.run(parsed, {
      overrides: { taskResourceLocalHandlers: overrides },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: new Date(startDate).toISOString() },
        StateMachine: { Id: stateMachineArn, Name: loaded.machine.name },
      },
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      startDate,
      status: 'RUNNING',
      abort: run.abort,
      done: Promise.resolve(),
    };
    execution.done = run.result
      .then(
        (output) => {
          Object.assign(execution, { status: 'SUCCEEDED', output: JSON.stringify(output) });
        },
        (error: unknown) => {
          Object.assign(execution, outcomeOf(error));
        },
      )
      .finally(() => {
        execution.stopDate = Date.now();
      });
    this.executions.set(executionArn, execution);
    for (const old of this.executions.keys()) {
      if (this.executions.size <= MAX_EXECUTIONS_KEPT) break;
      if (this.executions.get(old)?.status !== 'RUNNING') this.executions.delete(old);
    }
    return execution;
  }

  private async runTask(
    task: LocalTask,
    handler: LambdaHandler,
    input: unknown,
    executionArn: string,
    stops: MapStops,
  ): Promise<JsonInput> {
    if (task.map && stops.isStopped(task.map.name)) {
      // Step Functions starts no iteration after one failed; aws-local-stepfunctions would.
      throw Object.assign(new Error(`${task.map.name} stopped after a failed iteration`), {
        name: 'States.Runtime',
        isRetryable: false,
        isCatchable: false,
      });
    }
    const payload = task.invoke ? (isRecord(input) ? (input.Payload ?? null) : null) : input;
    const invoke = async () => {
      try {
        return await handler(
          payload,
          localLambdaContext(task.functionName, randomUUID(), task.timeoutSeconds * 1000),
        );
      } catch (error) {
        throw functionError(error);
      }
    };
    const interceptor = this.interceptor;
    try {
      const result: unknown = interceptor
        ? await interceptor(
            { stateName: task.stateName, handler: task.handler, payload, executionArn },
            invoke,
          )
        : await invoke();
      stops.succeeded(task);
      // A Lambda result travels as JSON.
      const json = JSON.parse(JSON.stringify(result ?? null)) as JsonInput;
      return task.invoke ? { ExecutedVersion: '$LATEST', Payload: json, StatusCode: 200 } : json;
    } catch (error) {
      stops.failed(task, error instanceof Error ? error.name : 'Error');
      throw error;
    }
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = await readJson(request);
      switch (target) {
        case 'AWSStepFunctions.StartSyncExecution':
          return reply(200, await this.startSyncExecution(body));
        case 'AWSStepFunctions.StartExecution':
          return reply(200, await this.startExecution(body));
        case 'AWSStepFunctions.DescribeExecution':
          return reply(200, this.describeExecution(body));
        default:
          throw new ApiError(
            'UnknownOperationException',
            `the local stand-in does not serve ${target || 'this'}`,
          );
      }
    } catch (error) {
      if (error instanceof ApiError) return reply(400, { __type: error.type, message: error.message });
      console.error('local step functions: failed', error);
      return reply(500, { __type: 'InternalFailure', message: 'the local stand-in failed; see its log' });
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_REQUEST_BYTES)
        return reject(new ApiError('ValidationException', 'the request is too large'));
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        resolve(isRecord(body) ? body : {});
      } catch {
        reject(new ApiError('SerializationException', 'the request body is not JSON'));
      }
    });
    request.on('error', reject);
  });
}

function outcomeOf(error: unknown): Partial<Execution> {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ExecutionTimeoutError') return { status: 'TIMED_OUT', error: 'States.Timeout' };
  if (name === 'ExecutionAbortedError') return { status: 'ABORTED' };
  const cause = error instanceof Error ? error.cause : undefined;
  if (name === 'ExecutionError' && cause instanceof Error)
    return { status: 'FAILED', error: cause.name, cause: cause.message };
  console.error('local step functions: the execution failed in the runner', error);
  return {
    status: 'FAILED',
    error: 'States.Runtime',
    cause: error instanceof Error ? error.message : String(error),
  };
}

function describe(execution: Execution): Record<string, unknown> {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate / 1000,
    ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate / 1000 }),
    input: execution.input,
    ...(execution.output === undefined ? {} : { output: execution.output }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
  };
}
