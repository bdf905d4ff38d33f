import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { ensureTable } from '../infra/local/table.js';
import { DEFAULT_HOLD_POLICY } from '../shared/holds/domain/hold-policy.js';
import { type Clock, systemClock } from '../shared/kernel/clock.js';
import { parseLocationId, parsePrincipalId, parseSku } from '../shared/kernel/identifiers.js';
import { ulidSource } from '../shared/kernel/ids.js';
import { createLocation } from '../shared/locations/use-cases/locations.js';
import { createDynamoStores } from '../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../shared/platform/store/document-client.js';
import { DEFAULT_SETTLE_MS, reconcile } from '../shared/stock/use-cases/reconcile.js';
import { adjustStock, receiveStock } from '../shared/stock/use-cases/stock-operations.js';

export interface ReconcileFigure {
  readonly history: string;
  readonly levels: number;
  readonly movementsPerLevel: number;
  /** The first run: no checkpoint, every whole ledger replayed. */
  readonly fullMs: number;
  readonly fullReplayed: number;
  /** The next run, after `newPerLevel` more movements per level: only those replayed. */
  readonly incrementalMs: number;
  readonly incrementalReplayed: number;
  readonly consistent: number;
}

const ADMIN = parsePrincipalId('bench-admin');

/**
 * Reconciliation time against history: the same levels with 1× and 10× more movements, each reconciled once (no
 * checkpoint: the whole ledger) and again after a few new movements (from the checkpoint). The second run's time
 * should stay flat while the first grows with history. Each history has its own table in the run's DynamoDB Local;
 * the first run scans the whole table to find the levels, the second one reads one page of its discovery scan (the
 * scheduled job reads a bounded number), and both use a clock past the settle window.
 */
export async function reconcileHistoryScenario(
  endpoint: string,
  size: { readonly levels: number; readonly movementsPerLevel: number; readonly newPerLevel: number },
  log: (line: string) => void,
): Promise<ReconcileFigure[]> {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const figures: ReconcileFigure[] = [];
  for (const factor of [1, 10]) {
    const tableName = `inventory-bench-reconcile-${factor}x`;
    const raw = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials });
    await ensureTable(raw, tableName);
    raw.destroy();
    const client = createDocumentClient({ endpoint, region: 'us-east-1', credentials });
    const stores = createDynamoStores({ client, tableName });
    const deps = {
      ...stores,
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: DEFAULT_HOLD_POLICY,
    };
    // Every movement is written before a run starts: its clock is set so that they are all past the settle window
    // (the checkpoint boundary is the run's real start).
    const later: Clock = { now: () => Date.now() + DEFAULT_SETTLE_MS };
    const movements = size.movementsPerLevel * factor;
    log(`reconciliation, ${factor}× history: ${size.levels} levels of ${movements} movements...`);
    const locationId = parseLocationId('BENCH-WH');
    await createLocation(deps, { locationId, name: 'Bench warehouse', region: 'local', ownerId: ADMIN });
    const levels = Array.from({ length: size.levels }, (_, i) => parseSku(`RECON-${i}`));
    const limit = pLimit(16);
    const who = { actor: ADMIN, reason: 'bench history' };
    const write = (n: number) =>
      Promise.all(
        levels.map((sku) =>
          limit(async () => {
            for (let i = 0; i < n; i++) await adjustStock(deps, { sku, locationId, delta: 1 }, who);
          }),
        ),
      );
    await Promise.all(levels.map((sku) => receiveStock(deps, { sku, locationId, quantity: 10 }, who)));
    await write(movements - 1);
    let started = performance.now();
    const full = await reconcile({ ...stores, clock: later });
    const fullMs = performance.now() - started;
    await write(size.newPerLevel);
    started = performance.now();
    const incremental = await reconcile({ ...stores, clock: later }, { scanPages: 1 });
    const incrementalMs = performance.now() - started;
    figures.push({
      history: `${factor}×`,
      levels: size.levels,
      movementsPerLevel: movements,
      fullMs: Math.round(fullMs),
      fullReplayed: full.replayed,
      incrementalMs: Math.round(incrementalMs),
      incrementalReplayed: incremental.replayed,
      consistent: incremental.consistent,
    });
    client.destroy();
  }
  return figures;
}

/** The figures as a table: the whole-ledger run grows with history, the run from checkpoints stays flat. */
export function renderReconcileFigures(figures: readonly ReconcileFigure[]): string {
  const cells = (c: readonly (string | number)[]) =>
    c.map((x, i) => String(x).padEnd(i === 0 ? 38 : 14)).join('');
  return [
    '',
    cells(['reconciliation (history)', 'movements', 'whole ms', 'replayed', 'checkpoint ms', 'replayed']),
    ...figures.map((f) =>
      cells([
        `${f.history} history, ${f.levels} levels`,
        f.levels * f.movementsPerLevel,
        f.fullMs,
        f.fullReplayed,
        f.incrementalMs,
        f.incrementalReplayed,
      ]),
    ),
  ].join('\n');
}
