import { useState } from 'preact/hooks';
import { isMissingRoute } from '../api.js';
import { useApp } from '../app-context.js';
import { Notice, ProblemBox } from '../components/problem-box.js';
import { ScrollRegion } from '../components/scroll-region.js';
import { parseCsv } from '../csv.js';
import { type Problem, problemInWords } from '../problems.js';

/** Rows per request of a skip-failed-rows import (the batch API's bound on one request). */
const CHUNK = 100;

interface RowResult {
  readonly index: number;
  readonly status: string;
  readonly problem?: Problem;
}

interface Failure {
  readonly line: number;
  readonly row: Record<string, unknown>;
  readonly problem: Problem;
}

/**
 * A stock file (CSV: a header naming each row's fields, e.g. `op,sku,locationId,quantity,reason`) sent through
 * `POST /stock/batch`: in one request all or nothing, or in requests of 100 rows skipping the rows refused; a
 * progress bar, then every refused row by its line in the file, with the problem in words.
 */
export function ImportsPage() {
  const { api } = useApp();
  const [policy, setPolicy] = useState<'all-or-nothing' | 'skip-failed-rows'>('skip-failed-rows');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failures, setFailures] = useState<Failure[]>([]);
  const [applied, setApplied] = useState<number | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    if (!file) return;
    const { rows } = parseCsv(await file.text());
    setBusy(true);
    setProblem(null);
    setFailures([]);
    setApplied(null);
    const chunks =
      policy === 'all-or-nothing'
        ? [rows]
        : Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) =>
            rows.slice(i * CHUNK, (i + 1) * CHUNK),
          );
    setProgress({ done: 0, total: rows.length });
    let ok = 0;
    let sent = 0;
    const refused: Failure[] = [];
    for (const chunk of chunks) {
      const answer = await api.send<{ results: RowResult[] }>('POST', '/stock/batch', {
        policy,
        rows: chunk.map((r) => r.values),
      });
      if (!answer.ok) {
        setMissing(isMissingRoute(answer));
        setProblem(answer.problem);
        break;
      }
      for (const result of answer.data.results) {
        const row = chunk[result.index];
        if (result.problem && row) refused.push({ line: row.line, row: row.values, problem: result.problem });
        else if (result.status === 'applied' || result.status === 'replayed') ok++;
      }
      sent += chunk.length;
      setProgress({ done: sent, total: rows.length });
      setFailures([...refused]);
    }
    setApplied(ok);
    setBusy(false);
  };

  return (
    <main id="main" tabIndex={-1}>
      <h1>Import a stock file</h1>
      <p>
        A CSV file with a header line naming the fields of each row: <code>op</code> (receipt, adjustment,
        count, block, unblock), <code>sku</code>, <code>locationId</code>, and <code>quantity</code>,{' '}
        <code>delta</code> or <code>onHand</code> and <code>expectedVersion</code>, optionally{' '}
        <code>reason</code> and <code>reference</code>.
      </p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label>
          Stock file (CSV)
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <label>
          When a row is refused
          <select value={policy} onChange={(e) => setPolicy(e.currentTarget.value as typeof policy)}>
            <option value="skip-failed-rows">apply the other rows</option>
            <option value="all-or-nothing">apply nothing (all or nothing)</option>
          </select>
        </label>
        <button type="submit" disabled={!file || busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      {missing ? (
        <Notice>
          This server has no batch API yet (<code>POST /stock/batch</code> is not one of its routes).
        </Notice>
      ) : (
        <ProblemBox problem={problem} action="Import" />
      )}
      {progress ? (
        <label>
          Rows sent: {progress.done} of {progress.total}
          <progress max={progress.total || 1} value={progress.done} />
        </label>
      ) : null}
      {applied !== null ? (
        <div class={failures.length > 0 ? 'notice' : 'done'} role="status">
          {applied} row{applied === 1 ? '' : 's'} applied, {failures.length} refused
          {policy === 'all-or-nothing' && failures.length > 0 ? ' (so nothing was applied)' : ''}.
        </div>
      ) : null}
      {failures.length > 0 ? (
        <ScrollRegion label="Refused rows">
          <table>
            <caption>Refused rows</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Row</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={f.line} data-line={f.line}>
                  <th scope="row">{f.line}</th>
                  <td>
                    <code>{JSON.stringify(f.row)}</code>
                  </td>
                  <td style="white-space: normal">
                    {problemInWords(f.problem)}
                    {f.problem.detail ? ` ${f.problem.detail}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
    </main>
  );
}
