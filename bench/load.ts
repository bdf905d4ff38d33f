import pLimit from 'p-limit';

/** Latencies and counts of one scenario, measured in the load generator. */
/**
 * The time the benchmark's holds live: longer than any run, so that the sweeper never starts releasing the holds
 * of an earlier scenario in the middle of a later one (a quick run beside other work once took over 15 minutes,
 * and 15-minute holds then expired by the thousands under the reconciliation scenario).
 */
export const BENCH_HOLD_TTL_SECONDS = 3 * 60 * 60;

export interface LoadResult {
  readonly operations: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/**
 * Runs `operations` calls of `op` with `concurrency` in flight. `op` resolves true when the operation succeeded
 * (a refused reserve is a normal outcome under a flash sale, not an error of the benchmark).
 */
export async function runLoad(
  operations: number,
  concurrency: number,
  op: (i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const limit = pLimit(concurrency);
  const latencies: number[] = [];
  let succeeded = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: operations }, (_, i) =>
      limit(async () => {
        const t0 = performance.now();
        const ok = await op(i);
        latencies.push(performance.now() - t0);
        if (ok) succeeded++;
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    operations,
    succeeded,
    failed: operations - succeeded,
    seconds,
    opsPerSec: operations / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}
