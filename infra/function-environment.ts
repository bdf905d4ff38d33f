import type { EnvironmentConfig } from './config.js';

/** The environment every function gets: the table, and the service's limits from the environment's config. */
export function functionEnvironment(config: EnvironmentConfig, tableName: string): Record<string, string> {
  const { holdPolicy: h, limits: l } = config;
  return {
    TABLE_NAME: tableName,
    SERVICE_ENVIRONMENT: config.name,
    HOLD_DEFAULT_TTL_SECONDS: String(h.defaultTtlSeconds),
    HOLD_MIN_TTL_SECONDS: String(h.minTtlSeconds),
    HOLD_MAX_TTL_SECONDS: String(h.maxTtlSeconds),
    HOLD_MAX_SECONDS: String(h.maxHoldSeconds),
    HOLD_RETENTION_SECONDS: String(h.retentionSeconds),
    HOLD_PURGE_GRACE_SECONDS: String(h.purgeGraceSeconds),
    MAX_HOLD_QUANTITY: String(l.maxHoldQuantity),
    MAX_ACTIVE_HOLDS_PER_CALLER: String(l.maxActiveHoldsPerCaller),
    RATE_LIMIT_PER_SECOND: String(l.perCallerRatePerSecond),
    RATE_LIMIT_BURST: String(l.perCallerBurst),
    MAX_BODY_BYTES: String(l.maxBodyBytes),
  };
}
