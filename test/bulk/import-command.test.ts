import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { useTestApi } from '../api/support/api.js';
import { aLevel, aNewLocation, aWarehouse } from '../api/support/world.js';
import { aSku } from '../support/fixtures.js';
import { expectLevelConsistent } from '../support/invariants.js';

const api = useTestApi();
const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'import-test-'));
let files = 0;

function aFile(extension: 'csv' | 'jsonl', lines: readonly string[]): string {
  const path = join(folder, `stock-${files++}.${extension}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ARGS = (file: string, extra: readonly string[]) => [
  '--import',
  'tsx',
  'scripts/import.ts',
  file,
  '--api',
  api().url,
  '--no-progress',
  ...extra,
];

async function importFile(file: string, token: string, extra: readonly string[] = []): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('node', ARGS(file, extra), {
      env: { ...process.env, INVENTORY_TOKEN: token },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const level = (sku: Sku, locationId: LocationId) => api().deps.levels.getLevel(sku, locationId);

describe('npm run import', () => {
  it('imports a CSV file of receipts, adjustments, counts and blocks, and exits 0 with a summary', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const stocked = await aLevel(api(), 10, aSku(), locationId);
    const counted = await aLevel(api(), 10, aSku(), locationId);
    const fresh = aSku();
    const file = aFile('csv', [
      'op,sku,locationId,quantity,expectedVersion,reason',
      `receipt,${fresh},${locationId},7,,delivery note 42`,
      `adjustment,${stocked.sku},${locationId},-3,,"damaged, written off"`,
      `block,${stocked.sku},${locationId},2,,`,
      `count,${counted.sku},${locationId},4,1,stock-take`,
    ]);

    // Act
    const outcome = await importFile(file, clerk.token);

    // Assess
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(
      /imported 4 rows .*: 4 applied, 0 already applied by an earlier run, 0 refused/,
    );
    expect(outcome.stderr).toMatch(/importing: 4\/4 rows \(100%\)/);
    expect(await level(fresh, locationId)).toMatchObject({ onHand: 7 });
    expect(await level(stocked.sku, locationId)).toMatchObject({ onHand: 7, unavailable: 2 });
    expect(await level(counted.sku, locationId)).toMatchObject({ onHand: 4 });
    for (const sku of [fresh, stocked.sku, counted.sku])
      await expectLevelConsistent(api().deps, sku, locationId);
  });

  it('applies nothing twice when the same file is imported again', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const sku = aSku();
    const file = aFile('jsonl', [JSON.stringify({ op: 'receipt', sku, locationId, quantity: 5 })]);
    await importFile(file, clerk.token);

    // Act
    const again = await importFile(file, clerk.token);

    // Assess
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 applied, 1 already applied by an earlier run, 0 refused/);
    expect(await level(sku, locationId)).toMatchObject({ onHand: 5, version: 1 });
  });

  it('exits 1 when rows are refused, writing them with their errors to a file that imports once fixed', async () => {
    // Prepare
    const mine = await aNewLocation(api());
    const theirs = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [mine]);
    const short = await aLevel(api(), 1, aSku(), mine);
    const good = aSku();
    const file = aFile('csv', [
      'op,sku,locationId,quantity,reason',
      `receipt,${good},${mine},3,`,
      `adjustment,${short.sku},${mine},-5,shrinkage`,
      `receipt,${aSku()},${theirs},1,`,
    ]);

    // Act
    const outcome = await importFile(file, clerk.token);

    // Assess
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/1 applied, 0 already applied by an earlier run, 2 refused/);
    const failedPath = file.replace(/\.csv$/, '.failed.csv');
    const failed = readFileSync(failedPath, 'utf8').trim().split('\n');
    expect(failed[0]).toBe('op,sku,locationId,quantity,expectedVersion,reason,error');
    expect(failed[1]).toMatch(new RegExp(`^adjustment,${short.sku},${mine},-5,,shrinkage,line 3: delta: `));
    expect(failed[2]).toMatch(/line 4: locationId: the caller may not operate on location/);
    expect(outcome.stderr).toMatch(/line 3: delta: /);
    expect(await level(good, mine)).toMatchObject({ onHand: 3 });

    // Act again: the failed-rows file, fixed (the shortage taken off), imports on its own
    writeFileSync(failedPath, `${failed[0]}\n${failed[1]?.replace(',-5,', ',-1,')}\n`);
    const fixed = await importFile(failedPath, clerk.token);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(await level(short.sku, mine)).toMatchObject({ onHand: 0 });
  });

  it('prints every bad row with its line number and sends nothing', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const sku = aSku();
    const file = aFile('csv', [
      'op,sku,locationId,quantity,expectedVersion,reason',
      `receipt,${sku},${locationId},5,,`,
      `receipt,${aSku()},${locationId},1.5,,`,
      `count,${aSku()},${locationId},3,,`,
      `receipt,${sku},${locationId},5,,`,
      `receipt,${aSku()},${locationId}`,
    ]);

    // Act
    const outcome = await importFile(file, clerk.token);

    // Assess
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('4 bad rows; nothing was sent');
    expect(outcome.stderr).toContain("line 3: quantity '1.5' is not a whole number");
    expect(outcome.stderr).toContain('line 4: a count needs expectedVersion');
    expect(outcome.stderr).toContain('line 5: repeats line 2 exactly');
    expect(outcome.stderr).toContain('line 6: has 3 fields, the header has 6');
    expect(await level(sku, locationId)).toBeNull();
  });

  it('refuses a file with wrong columns, naming them', async () => {
    const clerk = await aWarehouse(api(), [await aNewLocation(api())]);
    const file = aFile('csv', ['op,sku,location,qty', 'receipt,A,B,1']);

    const outcome = await importFile(file, clerk.token);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      "line 1: unknown columns 'location', 'qty'; missing columns 'locationId', 'quantity'",
    );
  });

  it('refuses a file above --max-bytes before reading it, and says how large files are handled', async () => {
    const clerk = await aWarehouse(api(), [await aNewLocation(api())]);
    const file = aFile(
      'jsonl',
      Array.from({ length: 50 }, (_, i) => JSON.stringify({ op: 'receipt', i })),
    );

    const outcome = await importFile(file, clerk.token, ['--max-bytes', '100']);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /bytes is above the limit of 100 bytes \(--max-bytes\)\. The import streams the file/,
    );
  });

  it('resumes an interrupted import without applying any row twice', async () => {
    // Prepare: 100 receipts, sent 5 at a time one after the other, killed once a tenth is done
    const locationId = await aNewLocation(api());
    const clerk = await aWarehouse(api(), [locationId]);
    const skus = Array.from({ length: 100 }, () => aSku());
    const file = aFile('csv', [
      'op,sku,locationId,quantity',
      ...skus.map((sku, i) => `receipt,${sku},${locationId},${i + 1}`),
    ]);
    const child: ChildProcess = spawn('node', ARGS(file, ['--batch-size', '5', '--concurrency', '1']), {
      env: { ...process.env, INVENTORY_TOKEN: clerk.token },
    });
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('importing:')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on('exit', resolve));

    // Act
    const rerun = await importFile(file, clerk.token);

    // Assess
    expect(rerun.code, rerun.stderr).toBe(0);
    const replayed = Number(/(\d+) already applied by an earlier run/.exec(rerun.stdout)?.[1]);
    expect(replayed).toBeGreaterThanOrEqual(10);
    expect(replayed).toBeLessThan(100);
    const levels = await Promise.all(skus.map((sku) => level(sku, locationId)));
    expect(levels.map((l) => [l?.onHand, l?.version])).toEqual(skus.map((_, i) => [i + 1, 1]));
  });
});
