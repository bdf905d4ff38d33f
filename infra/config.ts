import { DEFAULT_HOLD_POLICY, type HoldPolicy } from '../shared/domain/hold-policy.js';

/**
 * Everything that differs between environments, in one typed object per environment. `cdk deploy -c env=...`
 * picks one; the stack passes the service limits to the functions as environment variables and configures
 * API Gateway throttling from the same numbers.
 */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export interface ServiceLimits {
  /** Largest quantity one hold may take. */
  readonly maxHoldQuantity: number;
  /** Live holds one storefront caller may have at once. */
  readonly maxActiveHoldsPerCaller: number;
  /** Requests per second one caller may make (token bucket refill) and the burst above it. */
  readonly perCallerRatePerSecond: number;
  readonly perCallerBurst: number;
  /** API Gateway's own stage-wide throttle, the coarse outer limit. */
  readonly apiRatePerSecond: number;
  readonly apiBurst: number;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
}

export interface AlarmThresholds {
  /** 5xx answers in 5 minutes. */
  readonly api5xxCount: number;
  /** p99 latency of the API in milliseconds. */
  readonly apiP99LatencyMs: number;
  /** Lambda throttles in 5 minutes. */
  readonly functionThrottles: number;
  /** Age of the oldest expired hold not yet released, in seconds (the sweeper's lag). */
  readonly sweeperLagSeconds: number;
  /** Messages waiting in any dead-letter queue. */
  readonly dlqDepth: number;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly holdPolicy: HoldPolicy;
  readonly limits: ServiceLimits;
  readonly alarms: AlarmThresholds;
  readonly logRetentionDays: 7 | 14 | 30 | 90 | 365;
  /** prod keeps its data: the table is retained on stack deletion and protected against deletion. */
  readonly retainData: boolean;
  /** Where alarms are sent; none creates a topic nobody listens to yet. */
  readonly alarmEmail: string | null;
  /** An external OIDC issuer for the JWT authorizer; when null, the stack creates a Cognito user pool. */
  readonly jwtIssuer: { readonly issuerUrl: string; readonly audience: readonly string[] } | null;
  /** Sweeper schedule, in minutes. */
  readonly sweepEveryMinutes: number;
}

const LIMITS: ServiceLimits = {
  maxHoldQuantity: 1_000,
  maxActiveHoldsPerCaller: 50,
  perCallerRatePerSecond: 20,
  perCallerBurst: 40,
  apiRatePerSecond: 2_000,
  apiBurst: 4_000,
  maxBodyBytes: 16 * 1024,
};

const ALARMS: AlarmThresholds = {
  api5xxCount: 5,
  apiP99LatencyMs: 1_000,
  functionThrottles: 1,
  sweeperLagSeconds: 180,
  dlqDepth: 1,
};

export const CONFIGS: Record<EnvironmentName, EnvironmentConfig> = {
  dev: {
    name: 'dev',
    holdPolicy: DEFAULT_HOLD_POLICY,
    limits: LIMITS,
    alarms: ALARMS,
    logRetentionDays: 7,
    retainData: false,
    alarmEmail: null,
    jwtIssuer: null,
    sweepEveryMinutes: 1,
  },
  staging: {
    name: 'staging',
    holdPolicy: DEFAULT_HOLD_POLICY,
    limits: LIMITS,
    alarms: ALARMS,
    logRetentionDays: 30,
    retainData: false,
    alarmEmail: null,
    jwtIssuer: null,
    sweepEveryMinutes: 1,
  },
  prod: {
    name: 'prod',
    holdPolicy: DEFAULT_HOLD_POLICY,
    limits: { ...LIMITS, apiRatePerSecond: 5_000, apiBurst: 10_000 },
    alarms: { ...ALARMS, apiP99LatencyMs: 500 },
    logRetentionDays: 365,
    retainData: true,
    alarmEmail: null,
    jwtIssuer: null,
    sweepEveryMinutes: 1,
  },
};

export function configFor(name: unknown): EnvironmentConfig {
  if (typeof name !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(name)) {
    throw new Error(`choose an environment with -c env=${ENVIRONMENTS.join('|')} (got ${String(name)})`);
  }
  return CONFIGS[name as EnvironmentName];
}
