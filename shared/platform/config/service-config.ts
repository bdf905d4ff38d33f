import { DEFAULT_HOLD_POLICY, type HoldPolicy } from '../../holds/domain/hold-policy.js';

/**
 * The service's tunable limits, in one place. Each comes from an environment variable with a default, so that
 * the CDK stack can set them per environment (see `serviceConfigEnvironment`) and size API Gateway's throttling
 * from the same values, and the local runtime and the tests can tighten them.
 */
export interface RateLimit {
  /** Tokens added per second (the sustained rate). */
  readonly requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  readonly burst: number;
}

/** The roles whose callers get a rate limit of their own (the roles of `shared/platform/http/caller.ts`). */
export const RATE_LIMITED_ROLES = ['storefront', 'warehouse', 'admin', 'analyst'] as const;
export type RateLimitedRole = (typeof RATE_LIMITED_ROLES)[number];

export interface ServiceConfig {
  /** TTL bounds and default of a hold, and how long a hold may be extended in total. */
  readonly holdPolicy: HoldPolicy;
  /** The largest quantity one storefront hold may take (abuse limit, OWASP API6). */
  readonly maxHoldQuantity: number;
  /** The most live holds one storefront caller may have at once (abuse limit, OWASP API6). */
  readonly maxActiveHoldsPerCaller: number;
  /** Per-caller request rate of public routes (by source IP), enforced in the handlers (OWASP API4). */
  readonly callerRateLimit: RateLimit;
  /**
   * Per-caller request rate by role (a caller with several roles gets the most generous): a storefront's search
   * bursts are not a warehouse's imports, which use the batch route instead of a flood of single requests.
   */
  readonly roleRateLimits: Readonly<Record<RateLimitedRole, RateLimit>>;
  /** Route-level throttling of API Gateway: the cloud's coarse outer limit, applied by the CDK stack. */
  readonly gatewayThrottle: RateLimit;
  /** The largest request body accepted, in bytes (HTTP 413 above it). */
  readonly maxBodyBytes: number;
  /** The live feed's bounds (docs/live.md): open connections per caller, subscriptions per connection. */
  readonly live: LiveLimits;
  /** The largest body of a batch route (`POST /stock/batch`), in bytes: its rows at their longest fit in it. */
  readonly maxBatchBodyBytes: number;
}

export interface LiveLimits {
  readonly maxConnectionsPerCaller: number;
  readonly maxSubscriptionsPerConnection: number;
}

/** No hold may be asked to live longer than a week, whatever an environment configures. */
export const HARD_MAX_HOLD_SECONDS = 7 * 24 * 60 * 60;

export const DEFAULT_SERVICE_CONFIG: ServiceConfig = Object.freeze({
  holdPolicy: DEFAULT_HOLD_POLICY,
  maxHoldQuantity: 100,
  maxActiveHoldsPerCaller: 20,
  callerRateLimit: Object.freeze({ requestsPerSecond: 20, burst: 40 }),
  roleRateLimits: Object.freeze({
    storefront: Object.freeze({ requestsPerSecond: 50, burst: 100 }),
    warehouse: Object.freeze({ requestsPerSecond: 10, burst: 20 }),
    admin: Object.freeze({ requestsPerSecond: 20, burst: 40 }),
    analyst: Object.freeze({ requestsPerSecond: 20, burst: 40 }),
  }),
  gatewayThrottle: Object.freeze({ requestsPerSecond: 500, burst: 1000 }),
  maxBodyBytes: 16 * 1024,
  live: Object.freeze({ maxConnectionsPerCaller: 5, maxSubscriptionsPerConnection: 50 }),
  maxBatchBodyBytes: 256 * 1024,
});

interface Setting {
  readonly env: string;
  readonly min: number;
  readonly max: number;
  readonly read: (config: ServiceConfig) => number;
  /** When this variable is absent but `fallback` is set, `fallback`'s value applies (else the default). */
  readonly fallback?: string;
}

const roleRateSettings = (role: RateLimitedRole): Setting[] => [
  {
    env: `RATE_LIMIT_${role.toUpperCase()}_PER_SECOND`,
    min: 1,
    max: 1_000_000,
    read: (c) => c.roleRateLimits[role].requestsPerSecond,
    fallback: 'CALLER_RATE_LIMIT_PER_SECOND',
  },
  {
    env: `RATE_LIMIT_${role.toUpperCase()}_BURST`,
    min: 1,
    max: 1_000_000,
    read: (c) => c.roleRateLimits[role].burst,
    fallback: 'CALLER_RATE_LIMIT_BURST',
  },
];

/** Every tunable: its environment variable, its bounds, and where it lives in the config. */
export const SETTINGS: readonly Setting[] = [
  {
    env: 'HOLD_TTL_DEFAULT_SECONDS',
    min: 1,
    max: HARD_MAX_HOLD_SECONDS,
    read: (c) => c.holdPolicy.defaultTtlSeconds,
  },
  {
    env: 'HOLD_TTL_MIN_SECONDS',
    min: 1,
    max: HARD_MAX_HOLD_SECONDS,
    read: (c) => c.holdPolicy.minTtlSeconds,
  },
  {
    env: 'HOLD_TTL_MAX_SECONDS',
    min: 1,
    max: HARD_MAX_HOLD_SECONDS,
    read: (c) => c.holdPolicy.maxTtlSeconds,
  },
  { env: 'HOLD_MAX_SECONDS', min: 1, max: HARD_MAX_HOLD_SECONDS, read: (c) => c.holdPolicy.maxHoldSeconds },
  { env: 'MAX_HOLD_QUANTITY', min: 1, max: 1_000_000, read: (c) => c.maxHoldQuantity },
  { env: 'MAX_ACTIVE_HOLDS_PER_CALLER', min: 1, max: 10_000, read: (c) => c.maxActiveHoldsPerCaller },
  {
    env: 'CALLER_RATE_LIMIT_PER_SECOND',
    min: 1,
    max: 1_000_000,
    read: (c) => c.callerRateLimit.requestsPerSecond,
  },
  { env: 'CALLER_RATE_LIMIT_BURST', min: 1, max: 1_000_000, read: (c) => c.callerRateLimit.burst },
  {
    env: 'GATEWAY_RATE_LIMIT_PER_SECOND',
    min: 1,
    max: 1_000_000,
    read: (c) => c.gatewayThrottle.requestsPerSecond,
  },
  { env: 'GATEWAY_RATE_LIMIT_BURST', min: 1, max: 1_000_000, read: (c) => c.gatewayThrottle.burst },
  { env: 'MAX_BODY_BYTES', min: 256, max: 1024 * 1024, read: (c) => c.maxBodyBytes },
  { env: 'LIVE_MAX_CONNECTIONS_PER_CALLER', min: 1, max: 100, read: (c) => c.live.maxConnectionsPerCaller },
  {
    env: 'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION',
    min: 1,
    max: 1_000,
    read: (c) => c.live.maxSubscriptionsPerConnection,
  },
  ...RATE_LIMITED_ROLES.flatMap(roleRateSettings),
  { env: 'MAX_BATCH_BODY_BYTES', min: 256, max: 5 * 1024 * 1024, read: (c) => c.maxBatchBodyBytes },
];

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads the config from environment variables; absent ones take the default. Throws on any invalid value. */
export function loadServiceConfig(env: Environment, defaults = DEFAULT_SERVICE_CONFIG): ServiceConfig {
  const problems: string[] = [];
  const value = new Map<string, number>();
  for (const setting of SETTINGS) {
    const fallback = setting.fallback ? env[setting.fallback] : undefined;
    const own = env[setting.env];
    const fromFallback = (own === undefined || own === '') && Boolean(fallback);
    const raw = fromFallback ? fallback : own;
    const n =
      raw === undefined || raw === '' ? setting.read(defaults) : /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
    // A bad fallback value is reported once, by its own variable.
    if (!(n >= setting.min && n <= setting.max) && !fromFallback) {
      problems.push(`${setting.env} must be an integer from ${setting.min} to ${setting.max} (got '${raw}')`);
    }
    value.set(setting.env, n);
  }
  const get = (name: string) => value.get(name) ?? Number.NaN;
  const roleRate = (role: string): RateLimit => ({
    requestsPerSecond: get(`RATE_LIMIT_${role}_PER_SECOND`),
    burst: get(`RATE_LIMIT_${role}_BURST`),
  });
  const config: ServiceConfig = {
    holdPolicy: {
      ...defaults.holdPolicy,
      defaultTtlSeconds: get('HOLD_TTL_DEFAULT_SECONDS'),
      minTtlSeconds: get('HOLD_TTL_MIN_SECONDS'),
      maxTtlSeconds: get('HOLD_TTL_MAX_SECONDS'),
      maxHoldSeconds: get('HOLD_MAX_SECONDS'),
    },
    maxHoldQuantity: get('MAX_HOLD_QUANTITY'),
    maxActiveHoldsPerCaller: get('MAX_ACTIVE_HOLDS_PER_CALLER'),
    callerRateLimit: {
      requestsPerSecond: get('CALLER_RATE_LIMIT_PER_SECOND'),
      burst: get('CALLER_RATE_LIMIT_BURST'),
    },
    gatewayThrottle: {
      requestsPerSecond: get('GATEWAY_RATE_LIMIT_PER_SECOND'),
      burst: get('GATEWAY_RATE_LIMIT_BURST'),
    },
    maxBodyBytes: get('MAX_BODY_BYTES'),
    live: {
      maxConnectionsPerCaller: get('LIVE_MAX_CONNECTIONS_PER_CALLER'),
      maxSubscriptionsPerConnection: get('LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION'),
    },
    roleRateLimits: {
      storefront: roleRate('STOREFRONT'),
      warehouse: roleRate('WAREHOUSE'),
      admin: roleRate('ADMIN'),
      analyst: roleRate('ANALYST'),
    },
    maxBatchBodyBytes: get('MAX_BATCH_BODY_BYTES'),
  };
  const { minTtlSeconds, defaultTtlSeconds, maxTtlSeconds, maxHoldSeconds } = config.holdPolicy;
  if (!(minTtlSeconds <= defaultTtlSeconds && defaultTtlSeconds <= maxTtlSeconds)) {
    problems.push('HOLD_TTL_MIN_SECONDS <= HOLD_TTL_DEFAULT_SECONDS <= HOLD_TTL_MAX_SECONDS must hold');
  }
  if (!(maxTtlSeconds <= maxHoldSeconds))
    problems.push('HOLD_TTL_MAX_SECONDS must not exceed HOLD_MAX_SECONDS');
  if (problems.length) throw new ConfigurationError(problems);
  return config;
}

/** The environment variables that give `config`: what the CDK stack sets on every function. */
export function serviceConfigEnvironment(config: ServiceConfig): Record<string, string> {
  return Object.fromEntries(SETTINGS.map((s) => [s.env, String(s.read(config))]));
}
