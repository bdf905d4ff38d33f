import type { ParsedRow } from './rows.js';

/**
 * Sending rows to `POST /stock/batch` (skip-failed-rows), a batch at a time, a bounded number at once. A 429 or
 * a 503 is waited out for its Retry-After and the same batch sent again: every row carries its key, so a resent
 * row that was applied answers `replayed` and is never applied twice.
 */
export interface SendOptions {
  readonly api: string;
  readonly token: string;
  readonly fileId: string;
  readonly rowKey: (fileId: string, line: number) => string;
  /** Attempts per batch for answers that say "retry" (429, 503) or a lost connection. */
  readonly maxAttempts: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RowFate {
  readonly line: number;
  readonly status: 'applied' | 'replayed' | 'refused';
  readonly message?: string;
  /** Refused for a passing reason: sending it again may apply it. */
  readonly transient?: boolean;
}

/** Why the import cannot go on at all (a bad token, an API that is not there). */
export class ImportAborted extends Error {}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface RowResult {
  readonly index: number;
  readonly status: 'applied' | 'replayed' | 'refused';
  readonly problem?: { readonly type: string; readonly detail: string; readonly field: string | null };
}

/** A row refused for a passing reason (not started in time, contention): nothing of it changed, send it again. */
const TRANSIENT = /\/problems\/service-busy$/;

/**
 * Sends the rows; rows refused for a passing reason are sent again (with their keys), up to `maxAttempts`
 * rounds, and stay refused after that.
 */
export async function sendRows(rows: readonly ParsedRow[], options: SendOptions): Promise<RowFate[]> {
  const sleep = options.sleep ?? wait;
  const settled = new Map<number, RowFate>();
  let pending = rows;
  for (let round = 1; pending.length > 0; round++) {
    const fates = await sendBatch(pending, options);
    const again: ParsedRow[] = [];
    fates.forEach((fate, i) => {
      const row = pending[i];
      if (row && fate.transient && round < options.maxAttempts) again.push(row);
      else settled.set(fate.line, fate);
    });
    pending = again;
    if (pending.length) await sleep(1000);
  }
  return rows.map((r) => settled.get(r.line) as RowFate);
}

export async function sendBatch(rows: readonly ParsedRow[], options: SendOptions): Promise<RowFate[]> {
  const sleep = options.sleep ?? wait;
  const body = JSON.stringify({
    policy: 'skip-failed-rows',
    rows: rows.map((r) => ({ ...r.row, idempotencyKey: options.rowKey(options.fileId, r.line) })),
  });
  let lastTrouble = '';
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${options.api.replace(/\/$/, '')}/stock/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body,
      });
    } catch (error) {
      lastTrouble = `the API did not answer (${(error as Error).message})`;
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
      continue;
    }
    const text = await response.text();
    const json = (() => {
      try {
        return JSON.parse(text) as Record<string, unknown>;
      } catch {
        return {} as Record<string, unknown>;
      }
    })();
    if (response.status === 200) {
      const results = json.results as RowResult[];
      return results.map((r) => {
        const line = rows[r.index]?.line ?? -1;
        if (r.status !== 'refused') return { line, status: r.status };
        const field = r.problem?.field?.replace(/^rows\.\d+\./, '');
        return {
          line,
          status: 'refused',
          message: `${field ? `${field}: ` : ''}${r.problem?.detail ?? 'refused'}`,
          transient: TRANSIENT.test(r.problem?.type ?? ''),
        };
      });
    }
    if (response.status === 429 || response.status === 503) {
      const seconds = Number(response.headers.get('retry-after') ?? '1');
      lastTrouble = `${response.status} ${String(json.detail ?? '')}`;
      await sleep(1000 * (Number.isFinite(seconds) && seconds > 0 ? seconds : 1));
      continue;
    }
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      throw new ImportAborted(
        `the API refused the import: ${response.status} ${String(json.detail ?? text)}` +
          (response.status === 404 ? ' (is --api the API root, and does it serve POST /stock/batch?)' : ''),
      );
    }
    // Any other refusal of the whole batch is every row's.
    const message = `the batch was refused: ${response.status} ${String(json.detail ?? text)}`;
    return rows.map((r) => ({ line: r.line, status: 'refused', message }));
  }
  throw new ImportAborted(
    `gave up on a batch after ${options.maxAttempts} attempts (${lastTrouble}); run the import again to resume: rows already applied are not applied twice`,
  );
}
