/**
 * `npm run reconcile`: proves every level's counters against its ledger, on a DynamoDB endpoint, and prints what it
 * checked and a table of what it found. It never changes stock; it saves its checkpoints (ADR 32), so that the next
 * run replays only the movements after them, and repairs the registry of sharded levels from the levels it read
 * (ADR 43), saying how many entries it wrote and removed. On a terminal it shows a progress bar (on stderr).
 *
 * Options: `--full` replays every shard's whole ledger (the checkpoints are still saved); `--scan-pages N` reads at
 * most N pages of the discovery scan (it resumes there next run); default: the whole table.
 *
 * Where: with no variables, the running local runtime's table, found in `<data folder>/runtime.json` (which
 * `npm start` writes; the data folder is INVENTORY_DATA_DIR, `.data` by default). AWS_ENDPOINT_URL_DYNAMODB and
 * TABLE_NAME override it; TABLE_NAME alone with no local runtime means a table on AWS. Against a local endpoint
 * without AWS credentials in the environment it uses DynamoDB Local's dummy ones.
 *
 * Exit code: 0 when every level is consistent, 1 when a drift was found, 2 when some levels were too busy to
 * verify (and none drifted), 3 when the table could not be read (or no table was named and no runtime runs). The ReconciliationDriftFound events are printed as JSON lines after the table; the
 * scheduled job in the cloud publishes them on the bus instead.
 */
import '../infra/local/quiet-sdk.js';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { findRuntime, type RuntimeLookup } from '../infra/local/runtime-file.js';
import { systemClock } from '../shared/kernel/clock.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import {
  COUNTER_FIELDS,
  type ReconcileOptions,
  type ReconcileReport,
  reconcile,
  type ShardCheck,
} from '../shared/stock/use-cases/reconcile.js';

export interface Target {
  /** Undefined: the AWS SDK's own endpoint for the region (a table on AWS). */
  readonly endpoint: string | undefined;
  readonly tableName: string;
  readonly from: string;
}

/** Which table to reconcile, from the environment and the local runtime's file; a message when none is named. */
export function resolveTarget(
  env: Readonly<Record<string, string | undefined>>,
  runtime: RuntimeLookup,
): Target | { readonly error: string } {
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB || undefined;
  const tableName = env.TABLE_NAME || undefined;
  const running = runtime.state === 'running' ? runtime.info : null;
  if (tableName && (endpoint || !running))
    return { endpoint, tableName, from: 'TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB' };
  if (running)
    return {
      endpoint: endpoint ?? running.dynamoEndpoint,
      tableName: tableName ?? running.tableName,
      from: `the local runtime (pid ${running.pid}, ${runtime.file})`,
    };
  const how =
    'Start it with `npm start` (in another shell), or set TABLE_NAME (and AWS_ENDPOINT_URL_DYNAMODB for a ' +
    'DynamoDB other than AWS) to reconcile another table.';
  switch (runtime.state) {
    case 'stale':
      return {
        error:
          `no local runtime is running: ${runtime.file} names pid ${runtime.info.pid}, started ` +
          `${runtime.info.startedAt}, which is gone (stopped without cleaning up). ${how}`,
      };
    case 'unreadable':
      return { error: `no local runtime found: ${runtime.file} cannot be read (${runtime.reason}). ${how}` };
    default:
      return { error: `no local runtime is running (no ${runtime.file}). ${how}` };
  }
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function row(check: ShardCheck): string[] {
  const level = `${check.sku}@${check.locationId}#${check.shard}`;
  if (check.status === 'busy')
    return [level, 'BUSY', `written during each of ${check.attempts} checks: not verified`];
  const difference = COUNTER_FIELDS.filter((f) => check.difference[f] !== undefined)
    .map(
      (f) =>
        `${f} ${signed(check.difference[f] ?? 0)} (ledger ${check.expected?.[f]}, level ${check.actual?.[f]})`,
    )
    .join(', ');
  return [level, 'DRIFT', difference];
}

/** What the repair of the registry of sharded levels did (ADR 43, "Repair"). */
export function renderRegistry(report: ReconcileReport): string {
  const { written, removed, skipped, notStarted } = report.registry;
  const entries = written === 1 ? 'entry' : 'entries';
  const skips = skipped
    ? `, ${skipped} skipped (the level changed during the run, or the write met another; the next run looks again)`
    : '';
  const cut = notStarted ? `, ${notStarted} not started (the run was stopped; the next run makes them)` : '';
  return `Registry of sharded levels: ${written} ${entries} written, ${removed} removed${skips}${cut}.`;
}

/** What the run checked and how: from checkpoints or whole ledgers, movements replayed, discovery, registry. */
export function renderChecked(report: ReconcileReport): string {
  const d = report.discovery;
  return [
    `Checked: ${report.incremental} from their checkpoint (only movements after it replayed), ${report.full} ` +
      `whole ledgers (${report.fellBack} of them because a checkpoint did not agree); ${report.replayed} movements replayed; ${report.verifiedWhileWritten} ` +
      'verified while being written.',
    `Level shards: ${d.known} known from checkpoints, ${d.discovered} new found by the discovery scan ` +
      `(${d.scannedPages} pages read, ${d.sweepFinished ? 'reached the end of the table' : 'resumes there next run'}).`,
    renderRegistry(report),
  ].join('\n');
}

/** The report as text: a summary line, what was checked, then a table of every drift and busy level (shard). */
export function renderReport(report: ReconcileReport, tableName: string): string {
  const lines = [
    `Reconciled ${report.checked} level shards of table ${tableName}: ${report.consistent} consistent, ` +
      `${report.drifts.length} drifted, ${report.busy.length} busy${report.complete ? '' : ' (stopped early)'}.`,
    renderChecked(report),
  ];
  const rows = [...report.drifts, ...report.busy].map(row);
  if (rows.length) {
    const table = [['level (sku@location#shard)', 'status', 'difference (level − ledger)'], ...rows];
    const widths = [0, 1].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
    for (const r of table)
      lines.push(
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      );
  }
  return lines.join('\n');
}

export function exitCodeOf(report: ReconcileReport): number {
  if (report.drifts.length) return 1;
  return report.busy.length || !report.complete ? 2 : 0;
}

/** A progress bar on stderr when it is a terminal: shards checked of those listed. */
function progressBar(): Pick<ReconcileOptions, 'onProgress'> & { stop(): void } {
  if (!process.stderr.isTTY) return { stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'reconciling [{bar}] {value}/{total} level shards | {drifts} drifted, {busy} busy',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  let drifts = 0;
  let busy = 0;
  return {
    onProgress: (done, total, check) => {
      if (check.status === 'drift') drifts += 1;
      if (check.status === 'busy') busy += 1;
      if (!started) bar.start(total, 0, { drifts, busy });
      started = true;
      bar.update(done, { drifts, busy });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export interface RunOptions {
  readonly full: boolean;
  readonly scanPages: number | undefined;
}

async function main(target: Target, run: RunOptions): Promise<number> {
  const { endpoint, tableName } = target;
  const local = endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(endpoint);
  const client = createDocumentClient({
    ...(endpoint ? { endpoint } : {}),
    region: process.env.AWS_REGION ?? 'local',
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  try {
    const progress = progressBar();
    const report = await reconcile(
      { ...createDynamoStores({ client, tableName }), clock: systemClock },
      {
        full: run.full,
        ...(run.scanPages === undefined ? {} : { scanPages: run.scanPages }),
        onProgress: progress.onProgress,
      },
    ).finally(() => progress.stop());
    console.log(renderReport(report, tableName));
    for (const event of report.events) console.log(JSON.stringify(event));
    return exitCodeOf(report);
  } finally {
    client.destroy();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const pages = (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of pages, at least 1');
    return n;
  };
  const run = new Command('reconcile')
    .description(
      "Proves every level's counters against its ledger and repairs the registry of sharded levels; never changes stock",
    )
    .option('--full', 'replay every shard’s whole ledger, ignoring checkpoints', false)
    .option('--scan-pages <n>', 'pages of the discovery scan to read (default: the whole table)', pages)
    .parse()
    .opts<{ full: boolean; scanPages?: number }>();
  const target = resolveTarget(process.env, findRuntime(resolve(process.env.INVENTORY_DATA_DIR ?? '.data')));
  if ('error' in target) {
    console.error(`reconcile: ${target.error}`);
    process.exitCode = 3;
  } else {
    process.exitCode = await main(target, { full: run.full, scanPages: run.scanPages }).catch(
      (error: unknown) => {
        console.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
        console.error(
          `(it read table ${target.tableName} at ${target.endpoint ?? 'AWS'}, from ${target.from}; ` +
            'set TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB to reconcile another one)',
        );
        return 3;
      },
    );
  }
}
