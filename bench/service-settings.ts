/**
 * The service settings the benchmark's service process and handler host run with: it measures the stock path, not
 * the abuse limits, so they are lifted for the run.
 */
export const BENCH_SERVICE_SETTINGS = {
  CALLER_RATE_LIMIT_PER_SECOND: '1000000',
  CALLER_RATE_LIMIT_BURST: '1000000',
  MAX_ACTIVE_HOLDS_PER_CALLER: '10000',
  MAX_HOLD_QUANTITY: '1000',
} as const;
