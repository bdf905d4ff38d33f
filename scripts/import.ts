/**
 * `npm run import -- <file.csv|file.jsonl> [--api <url>]`: loads a warehouse's stock file through the batch route
 * (`POST /stock/batch`). See `--help` and README "Importing a stock file".
 *
 * 1. Validates every row first (columns, numbers, the route's own schema, exact duplicates) and prints the bad
 *    ones with their line numbers; nothing is sent while one is bad.
 * 2. Sends the rows in batches, a bounded number at once, waiting out 429/503 for their Retry-After. Each row
 *    carries a key derived from the file's content and its line, so a rerun of the same file (after Ctrl-C, a
 *    crash, a lost answer) resumes: rows applied before answer `replayed` and are not applied twice.
 * 3. Prints a summary; refused rows go to a failed-rows file in the same format (with an `error` column the
 *    import ignores), to be fixed and imported on their own. Exit code 0 all applied, 1 rows refused, 2 the file
 *    is invalid (nothing sent), 3 the import could not run (no token, API unreachable or refusing the token).
 *
 * Memory: the file is streamed twice (validate, then send); what is kept per row is a short digest for the
 * duplicate check, and the refused rows for their file.
 */
import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { findRuntime } from '../infra/local/runtime-file.js';
import {
  CSV_OPTIONAL,
  CSV_REQUIRED,
  FileError,
  type Format,
  formatOf,
  type ParsedRow,
  type RowError,
  records,
  rowKey,
  toRow,
  validateFile,
} from './import/rows.js';
import { ImportAborted, type RowFate, sendRows } from './import/send.js';

export const EXIT = { ok: 0, rowsRefused: 1, invalidFile: 2, cannotRun: 3 } as const;
const MAX_ERRORS_LISTED = 50;

interface Options {
  readonly api?: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly failed?: string;
  readonly maxBytes: number;
  readonly progress: boolean;
}

const intIn = (min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  return n;
};

function program(): Command {
  return new Command()
    .name('npm run import --')
    .description(
      "Import a warehouse's stock file (CSV or JSON Lines) through POST /stock/batch, with a progress bar.\n" +
        'Every row is validated before anything is sent; a rerun of the same file resumes without applying a row twice.',
    )
    .argument('<file>', 'the stock file: .csv (with a header) or .jsonl (one API row per line)')
    .option('--api <url>', 'the API root (default: the running `npm start`, from .data/runtime.json)')
    .option('--batch-size <rows>', 'rows per request (1 to 100)', intIn(1, 100), 100)
    .option('--concurrency <requests>', 'requests in flight at once (1 to 16)', intIn(1, 16), 2)
    .option('--failed <path>', 'where refused rows are written (default: <file>.failed.<csv|jsonl>)')
    .option(
      '--max-bytes <bytes>',
      'refuse a larger file before reading it',
      intIn(1, 2 ** 40),
      512 * 1024 * 1024,
    )
    .option(
      '--no-progress',
      'no progress bar (plain progress lines instead; also when stderr is not a terminal)',
    )
    .addHelpText(
      'after',
      `
Environment:
  INVENTORY_TOKEN      a bearer token of a warehouse (scoped to the file's locations) or an admin; \`npm start\` prints one per role
  INVENTORY_DATA_DIR   where \`npm start\` keeps .data/runtime.json (default .data), read when --api is absent

CSV columns (header line first): ${CSV_REQUIRED.join(',')} and optionally ${CSV_OPTIONAL.join(',')}
  op is receipt, adjustment, count, block or unblock; quantity is the units received, blocked or unblocked,
  an adjustment's signed delta, or a count's counted on-hand (a count also needs expectedVersion); an
  adjustment needs a reason. The error column (as a failed-rows file has it) is ignored.
JSON Lines: one row of POST /stock/batch per line, e.g. {"op":"receipt","sku":"SKU-1","locationId":"WH-1","quantity":5}

Exit codes: 0 every row applied (or already applied by an earlier run), 1 some rows refused (written to the
failed-rows file), 2 the file is invalid (nothing sent), 3 the import could not run.
`,
    );
}

const csvField = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The refused rows in the file's own format, each with its error: fix them there and import that file. */
function writeFailed(path: string, format: Format, failed: readonly { row: ParsedRow; message: string }[]) {
  const sorted = [...failed].sort((a, b) => a.row.line - b.row.line);
  if (format === 'jsonl') {
    writeFileSync(
      path,
      sorted
        .map((f) => `${JSON.stringify({ ...f.row.source, error: `line ${f.row.line}: ${f.message}` })}\n`)
        .join(''),
    );
    return;
  }
  const columns = [...CSV_REQUIRED, 'expectedVersion', 'reason', 'error'];
  const lines = sorted.map((f) =>
    columns
      .map((c) => csvField(c === 'error' ? `line ${f.row.line}: ${f.message}` : f.row.source[c]))
      .join(','),
  );
  writeFileSync(path, `${[columns.join(','), ...lines].join('\n')}\n`);
}

interface Progress {
  update(done: number): void;
  stop(): void;
}

/** A bar on a terminal (rows done, rate, time left); plain lines at each tenth otherwise. */
function progressOf(total: number, bar: boolean, log: (line: string) => void): Progress {
  const started = Date.now();
  if (bar) {
    const b = new SingleBar(
      {
        format:
          'importing [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | {eta_formatted} left',
        stream: process.stderr,
        etaBuffer: 50,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    b.start(total, 0, { speed: '0' });
    return {
      update: (done) =>
        b.update(done, { speed: (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(0) }),
      stop: () => b.stop(),
    };
  }
  let printedTenth = 0;
  return {
    update: (done) => {
      const tenth = total > 0 ? Math.floor((done * 10) / total) : 10;
      if (tenth <= printedTenth) return;
      printedTenth = tenth;
      const seconds = (Date.now() - started) / 1000;
      const rate = done / Math.max(0.001, seconds);
      const left = rate > 0 ? Math.round((total - done) / rate) : 0;
      log(
        `importing: ${done}/${total} rows (${Math.round((done * 100) / total)}%), ${rate.toFixed(0)} rows/s, ${left} s left`,
      );
    },
    stop: () => {},
  };
}

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const cli = program();
  cli.parse(argv, { from: 'user' });
  const [file = ''] = cli.args;
  const options = cli.opts<Options>();

  const format = formatOf(file);
  if (!format) {
    err(`${file}: the file must end in .csv or .jsonl (.ndjson)`);
    return EXIT.invalidFile;
  }
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    err(`${file}: no such file`);
    return EXIT.invalidFile;
  }
  if (size > options.maxBytes) {
    err(
      `${file}: ${size} bytes is above the limit of ${options.maxBytes} bytes (--max-bytes). The import streams the file and keeps only a short digest per row, so a larger limit works too; or split the file.`,
    );
    return EXIT.invalidFile;
  }
  const token = env.INVENTORY_TOKEN;
  if (!token) {
    err(
      'INVENTORY_TOKEN is not set: set it to a warehouse or admin token (`npm start` prints one per role).',
    );
    return EXIT.cannotRun;
  }
  const runtime = findRuntime(resolve(env.INVENTORY_DATA_DIR ?? '.data'));
  const api = options.api ?? (runtime.state === 'running' ? runtime.info.api : undefined);
  if (!api) {
    err('no API to import into: pass --api <url>, or start the local runtime with `npm start`.');
    return EXIT.cannotRun;
  }

  // 1. Validate everything first.
  let validation: Awaited<ReturnType<typeof validateFile>>;
  try {
    validation = await validateFile(file, format);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    err(`${file}: ${error.message}`);
    err('nothing was sent.');
    return EXIT.invalidFile;
  }
  if (validation.errors.length > 0) {
    const errors = [...validation.errors].sort((a, b) => a.line - b.line);
    err(`${file}: ${errors.length} bad row${errors.length > 1 ? 's' : ''}; nothing was sent:`);
    for (const e of errors.slice(0, MAX_ERRORS_LISTED)) err(`  line ${e.line}: ${e.message}`);
    if (errors.length > MAX_ERRORS_LISTED) err(`  ... and ${errors.length - MAX_ERRORS_LISTED} more`);
    return EXIT.invalidFile;
  }
  const total = validation.rows;
  out(
    `${file}: ${total} rows valid; importing into ${api} in batches of ${options.batchSize}, ${options.concurrency} at once`,
  );

  // 2. Send, a bounded number of batches at once.
  const progress = progressOf(total, options.progress && process.stderr.isTTY === true, err);
  const started = Date.now();
  const fates: Record<RowFate['status'], number> = { applied: 0, replayed: 0, refused: 0 };
  const failed: { row: ParsedRow; message: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  const send = (batch: ParsedRow[]) => {
    const byLine = new Map(batch.map((r) => [r.line, r]));
    const p: Promise<void> = sendRows(batch, {
      api,
      token,
      fileId: validation.fileId,
      rowKey,
      maxAttempts: 10,
    }).then((results) => {
      for (const fate of results) {
        fates[fate.status]++;
        const row = byLine.get(fate.line);
        if (fate.status === 'refused' && row) failed.push({ row, message: fate.message ?? 'refused' });
      }
      done += batch.length;
      progress.update(done);
    });
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    return tracked;
  };
  try {
    let batch: ParsedRow[] = [];
    for await (const record of records(file, format)) {
      if ('message' in record) continue;
      const row = toRow(format, record) as ParsedRow | RowError;
      if ('message' in row) continue;
      batch.push(row);
      if (batch.length < options.batchSize) continue;
      send(batch);
      batch = [];
      while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
    if (batch.length) send(batch);
    await Promise.all(inFlight);
  } catch (error) {
    progress.stop();
    if (!(error instanceof ImportAborted)) throw error;
    await Promise.allSettled(inFlight);
    err(`import stopped: ${error.message}`);
    return EXIT.cannotRun;
  }
  progress.stop();

  // 3. Summary and the failed rows.
  const seconds = (Date.now() - started) / 1000;
  out(
    `imported ${total} rows in ${seconds.toFixed(1)} s (${(total / Math.max(seconds, 0.001)).toFixed(0)} rows/s): ` +
      `${fates.applied} applied, ${fates.replayed} already applied by an earlier run, ${fates.refused} refused`,
  );
  if (failed.length === 0) return EXIT.ok;
  const failedPath = options.failed ?? file.replace(/\.(csv|jsonl|ndjson)$/i, (ext) => `.failed${ext}`);
  writeFailed(failedPath, format, failed);
  const shown = [...failed].sort((a, b) => a.row.line - b.row.line).slice(0, MAX_ERRORS_LISTED);
  for (const f of shown) err(`  line ${f.row.line}: ${f.message}`);
  if (failed.length > shown.length) err(`  ... and ${failed.length - shown.length} more`);
  out(
    `${failed.length} refused row${failed.length > 1 ? 's' : ''} written to ${failedPath}: fix them there and import that file.`,
  );
  return EXIT.rowsRefused;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.on('SIGINT', () => {
    process.stderr.write(
      '\ninterrupted: run the same command again to resume (rows already applied are not applied twice)\n',
    );
    process.exit(130);
  });
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`import failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(EXIT.cannotRun);
    },
  );
}
