/**
 * `npm run reconcile`: proves every level's counters against its ledger, on a DynamoDB endpoint, and prints a
 * table of what it found. It never changes stock.
 *
 * Environment: AWS_ENDPOINT_URL_DYNAMODB (default http://127.0.0.1:8000, the local runtime's DynamoDB Local)
 * and TABLE_NAME (default `inventory`). Against a local endpoint without AWS credentials in the environment it
 * uses DynamoDB Local's dummy ones.
 *
 * Exit code: 0 when every level is consistent, 1 when a drift was found, 2 when some levels were too busy to
 * verify (and none drifted), 3 when the table could not be read. The ReconciliationDriftFound events are printed as JSON lines after the table; the
 * scheduled job in the cloud publishes them on the bus instead.
 */
import { pathToFileURL } from 'node:url';
import { systemClock } from '../shared/domain/clock.js';
import { createDocumentClient } from '../shared/store/document-client.js';
import { createDynamoStores } from '../shared/store/stores.js';
import {
  COUNTER_FIELDS,
  type ReconcileReport,
  reconcile,
  type ShardCheck,
} from '../shared/use-cases/reconcile.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8000';
export const DEFAULT_TABLE = 'inventory';

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

/** The report as text: a summary line, then a table of every drift and busy level (shard). */
export function renderReport(report: ReconcileReport, tableName: string): string {
  const lines = [
    `Reconciled ${report.checked} level shards of table ${tableName}: ${report.consistent} consistent, ` +
      `${report.drifts.length} drifted, ${report.busy.length} busy${report.complete ? '' : ' (stopped early)'}.`,
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

async function main(): Promise<number> {
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB || DEFAULT_ENDPOINT;
  const tableName = process.env.TABLE_NAME || DEFAULT_TABLE;
  const local = /^https?:\/\/(127\.0\.0\.1|localhost)(:|\/|$)/.test(endpoint);
  const client = createDocumentClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    ...(local && !process.env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
  try {
    const report = await reconcile({ ...createDynamoStores({ client, tableName }), clock: systemClock });
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
  process.exitCode = await main().catch((error: unknown) => {
    console.error(`reconcile failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      `(it reads table ${process.env.TABLE_NAME || DEFAULT_TABLE} at ${process.env.AWS_ENDPOINT_URL_DYNAMODB || DEFAULT_ENDPOINT}; ` +
        'set TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB to reconcile another one)',
    );
    return 3;
  });
}
