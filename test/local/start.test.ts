import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` as a newcomer runs it: the real script in a child process, on a free port, with its data in a
 * temporary folder. Slow-ish (two DynamoDB Local starts), so one test walks the whole story.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'inventory-start-'));
const launched: Started[] = [];

/** Whatever a failed test left running is stopped: the script first, then its DynamoDB Local if it survived. */
afterAll(async () => {
  for (const started of launched) {
    if (started.child.exitCode === null && started.child.signalCode === null) await stop(started, 'SIGTERM');
    if (alive(started.dynamoPid)) process.kill(started.dynamoPid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exports: Record<string, string>;
  readonly dynamoPid: number;
}

function start(args: readonly string[]): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: '0', INVENTORY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolveStarted, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes('Ctrl-C to stop.')) return;
      const exports = Object.fromEntries(
        [...output.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]),
      );
      const pid = Number(/\(pid (\d+)\)/.exec(output)?.[1]);
      const started = { child, output: () => output, exports, dynamoPid: pid };
      launched.push(started);
      resolveStarted(started);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)),
    );
  });
}

function stop(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolveExit) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => resolveExit(code));
    started.child.kill(signal);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function get(api: Started, path: string, token = api.exports.ADMIN_TOKEN) {
  const response = await fetch(`${api.exports.API}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()) as Record<string, unknown>;
}

/** Asks until `check` answers something truthy (the event pipeline runs behind the requests). */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Listed = { events?: { detail: { eventId: string } }[]; requests?: { requestId: string }[] };

async function availability(api: Started, sku: string) {
  const response = await fetch(`${api.exports.API}/skus/${sku}/availability`, {
    headers: { authorization: `Bearer ${api.exports.ALICE_TOKEN}` },
  });
  return (await response.json()) as { available: number };
}

/** `npm run reconcile` with no TABLE_NAME nor endpoint, as the README gives it, beside the running service. */
function reconcileWithNoVariables(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/reconcile.ts'], {
    cwd: root,
    env: { ...env, INVENTORY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit({ code, output })));
}

describe('npm start', { timeout: 180_000 }, () => {
  it('serves the demo catalog with printed tokens, turns a StockLow into one request (still one after a restart that replays the stream), keeps stock across a restart, and stops cleanly on Ctrl-C', async () => {
    // Prepare: the first start, seeded
    const first = await start(['--seed', 'demo']);
    expect(Object.keys(first.exports)).toEqual([
      'API',
      'LIVE',
      'ADMIN_TOKEN',
      'WAREHOUSE_TOKEN',
      'ALICE_TOKEN',
      'BOB_TOKEN',
      'ANALYST_TOKEN',
    ]);
    expect((await availability(first, 'TSHIRT-BLUE-M')).available).toBe(52);

    // Act: hold two units, and a cart whose one line the saga splits over three warehouses; stop with Ctrl-C, start
    // again without seeding
    const post = (path: string, body: unknown) =>
      fetch(`${first.exports.API}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.exports.ALICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const held = await post('/reservations', { sku: 'TSHIRT-BLUE-M', locationId: 'WH-BERLIN', quantity: 2 });
    const cart = await post('/carts/demo-cart-1/reservations', {
      strategy: 'priority',
      lines: [{ sku: 'MUG-LOGO', quantity: 40 }],
    });
    // ...and the README's replenishment walk: 25 socks in Berlin take available below the seeded reorder point
    const socks = await post('/reservations', { sku: 'SOCKS-3PACK', locationId: 'WH-BERLIN', quantity: 25 });
    const lowSocks = '/events?detail-type=StockLow&sku=SOCKS-3PACK';
    const openSocks = '/replenishments?sku=SOCKS-3PACK&locationId=WH-BERLIN';
    const stockLow =
      (await eventually(async () => ((await get(first, lowSocks)) as Listed).events?.length)) ?? 0;
    const requested = await eventually(async () => ((await get(first, openSocks)) as Listed).requests?.[0]);
    const { AWS_ENDPOINT_URL_DYNAMODB: _e, TABLE_NAME: _t, ...noTarget } = process.env;
    const reconciled = await reconcileWithNoVariables(noTarget);
    const firstExit = await stop(first, 'SIGINT');
    const runtimeFileAfterStop = existsSync(join(dataDir, 'runtime.json'));
    const logged = readFileSync(join(dataDir, 'events.ndjson'), 'utf8');
    const second = await start([]);
    const afterRestart = await availability(second, 'TSHIRT-BLUE-M');
    // The restarted pipeline reads the stream from its start again: the same events, and still one request
    await eventually(async () => ((await get(second, lowSocks)) as Listed).events?.length);
    const replayedLows = ((await get(second, lowSocks)) as Listed).events ?? [];
    const requestsAfterRestart = ((await get(second, openSocks)) as Listed).requests ?? [];
    const secondExit = await stop(second, 'SIGTERM');

    // Assess
    expect(held.status).toBe(201);
    expect(cart.status).toBe(201);
    expect(await cart.json()).toMatchObject({
      status: 'HELD',
      holds: [
        { locationId: 'WH-BERLIN', quantity: 5, status: 'HELD' },
        { locationId: 'WH-PARIS', quantity: 30, status: 'HELD' },
        { locationId: 'WH-MADRID', quantity: 5, status: 'HELD' },
      ],
    });
    expect(socks.status).toBe(201);
    expect(stockLow).toBe(1);
    expect(requested).toMatchObject({ status: 'OPEN', quantity: 100 });
    expect(logged).toContain('"detail-type":"StockLow"');
    expect(
      logged
        .trim()
        .split('\n')
        .every((line) => JSON.parse(line).source === 'inventory'),
    ).toBe(true);
    expect(new Set(replayedLows.map((e) => e.detail.eventId)).size).toBe(1);
    expect(requestsAfterRestart.map((r) => r.requestId)).toEqual([requested?.requestId]);
    expect(reconciled.code, reconciled.output).toBe(0);
    expect(reconciled.output).toMatch(/level shards of table inventory-local: \d+ consistent, 0 drifted/);
    expect(runtimeFileAfterStop).toBe(false);
    expect(firstExit).toBe(0);
    expect(first.output()).toContain('stopped.');
    expect(alive(first.dynamoPid)).toBe(false);
    expect(afterRestart.available).toBe(50);
    expect(secondExit).toBe(0);
    expect(alive(second.dynamoPid)).toBe(false);
  });

  it('refuses an unknown seed with a clear message', async () => {
    await expect(start(['--seed', 'everything'])).rejects.toThrow(/unknown seed 'everything'/);
  });
});

/** Runs the start script until it exits, in a data folder of its own; its exit code and everything it printed. */
function runToExit(
  args: readonly string[],
  folder: string,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: '0', INVENTORY_DATA_DIR: folder },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit({ code, output })));
}

const aFolder = () => mkdtempSync(join(tmpdir(), 'inventory-start-mistake-'));
const STACK_FRAME = /^\s+at .+[.:(]/m;

describe('npm start, told something wrong', { timeout: 120_000 }, () => {
  it('prints its usage for --help and exits 0, starting nothing', async () => {
    // Prepare
    const folder = aFolder();

    // Act
    const { code, output } = await runToExit(['--help'], folder);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('Usage: npm start [-- --seed demo]');
    expect(output).toContain('INVENTORY_DATA_DIR');
    expect(existsSync(join(folder, 'dynamodb'))).toBe(false);
    rmSync(folder, { recursive: true, force: true });
  });

  it('says that --seed needs a value, and exits 2 without a stack', async () => {
    const { code, output } = await runToExit(['--seed'], aFolder());
    expect(code).toBe(2);
    expect(output).toContain("--seed needs a value: the only one is 'demo'");
    expect(output).toContain('npm start -- --help');
    expect(output).not.toMatch(STACK_FRAME);
  });

  it('names an unknown option, and exits 2 without a stack', async () => {
    const { code, output } = await runToExit(['--sed', 'demo'], aFolder());
    expect(code).toBe(2);
    expect(output).toContain("'--sed'");
    expect(output).not.toMatch(STACK_FRAME);
  });

  it('refuses a development key file that is not JSON, naming it and saying what to do', async () => {
    // Prepare
    const folder = aFolder();
    const keyFile = join(folder, 'dev-signing-key.json');
    writeFileSync(keyFile, '{"privateJwk": {');

    // Act
    const { code, output } = await runToExit([], folder);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(`${keyFile} is not valid JSON`);
    expect(output).toContain('delete it and npm start makes a new one');
    expect(output).not.toMatch(STACK_FRAME);
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a development key file that holds no key, rather than silently replacing it', async () => {
    // Prepare
    const folder = aFolder();
    const keyFile = join(folder, 'dev-signing-key.json');
    writeFileSync(keyFile, '{}');

    // Act
    const { code, output } = await runToExit([], folder);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(`${keyFile} does not hold a key pair`);
    expect(readFileSync(keyFile, 'utf8')).toBe('{}');
    expect(output).not.toMatch(STACK_FRAME);
    rmSync(folder, { recursive: true, force: true });
  });

  it('says that a damaged data folder is damaged and that deleting it starts fresh, without a Java stack', async () => {
    // Prepare: DynamoDB Local's database file overwritten with something that is not SQLite
    const folder = aFolder();
    mkdirSync(join(folder, 'dynamodb'));
    writeFileSync(join(folder, 'dynamodb', 'shared-local-instance.db'), 'x'.repeat(8192));
    const began = Date.now();

    // Act
    const { code, output } = await runToExit([], folder);

    // Assess
    expect(code).toBe(1);
    expect(output).toContain(`DynamoDB Local cannot read its database in ${join(folder, 'dynamodb')}`);
    expect(output).toContain(`To start fresh, delete the data folder: rm -rf ${folder}`);
    expect(output).not.toMatch(STACK_FRAME);
    expect(output).not.toContain('did not');
    expect(Date.now() - began).toBeLessThan(55_000);
    rmSync(folder, { recursive: true, force: true });
  });
});
