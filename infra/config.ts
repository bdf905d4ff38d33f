import { DEFAULT_SERVICE_CONFIG, type ServiceConfig } from '../shared/platform/config/service-config.js';

/**
 * Everything that differs between environments, in one typed object per environment. `cdk deploy -c env=...`
 * picks one. The service's own limits are the ServiceConfig that the functions read from their environment
 * (shared/platform/config/service-config.ts), so the stack sets exactly those variables and sizes API Gateway's
 * throttling from the same numbers.
 */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

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
  /**
   * Failed cart saga executions in 5 minutes. A cart short of stock fails its execution too (after releasing
   * everything), so this is a rate, not "any failure": a surge means stock trouble or a broken step.
   */
  readonly cartSagaFailures: number;
}

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly service: ServiceConfig;
  readonly alarms: AlarmThresholds;
  readonly logRetentionDays: 7 | 14 | 30 | 90 | 365;
  /** prod keeps its data: the table is retained on stack deletion and protected against deletion. */
  readonly retainData: boolean;
  /**
   * The addresses every alarm is e-mailed to (each confirms its subscription once). `-c alarmEmail=a@x,b@y`
   * replaces them at deploy time. With none, the alarm topic has no subscriber and synthesis warns.
   */
  readonly alarmEmails: readonly string[];
  /** An external OIDC issuer for the JWT authorizer; when null, the stack creates a Cognito user pool. */
  readonly jwtIssuer: { readonly issuerUrl: string; readonly audience: readonly string[] } | null;
  /** Sweeper schedule, in minutes. */
  readonly sweepEveryMinutes: number;
  /** How long the bus's archive keeps every inventory event for replay, in days. */
  readonly eventArchiveRetentionDays: number;
  /** Reconciliation schedule (every level's counters against its ledger), in hours. */
  readonly reconcileEveryHours: number;
}

const ALARMS: AlarmThresholds = {
  api5xxCount: 5,
  apiP99LatencyMs: 1_000,
  functionThrottles: 1,
  sweeperLagSeconds: 180,
  dlqDepth: 1,
  cartSagaFailures: 25,
};

export const CONFIGS: Record<EnvironmentName, EnvironmentConfig> = {
  dev: {
    name: 'dev',
    service: DEFAULT_SERVICE_CONFIG,
    alarms: ALARMS,
    logRetentionDays: 7,
    retainData: false,
    alarmEmails: [],
    jwtIssuer: null,
    sweepEveryMinutes: 1,
    eventArchiveRetentionDays: 7,
    reconcileEveryHours: 24,
  },
  staging: {
    name: 'staging',
    service: DEFAULT_SERVICE_CONFIG,
    alarms: ALARMS,
    logRetentionDays: 30,
    retainData: false,
    alarmEmails: [],
    jwtIssuer: null,
    sweepEveryMinutes: 1,
    eventArchiveRetentionDays: 30,
    reconcileEveryHours: 24,
  },
  prod: {
    name: 'prod',
    service: { ...DEFAULT_SERVICE_CONFIG, gatewayThrottle: { requestsPerSecond: 2_000, burst: 4_000 } },
    alarms: { ...ALARMS, apiP99LatencyMs: 500 },
    logRetentionDays: 365,
    retainData: true,
    alarmEmails: [],
    jwtIssuer: null,
    sweepEveryMinutes: 1,
    eventArchiveRetentionDays: 365,
    reconcileEveryHours: 24,
  },
};

/** A cdk context value by key (`app.node.tryGetContext`), for the settings that `-c key=value` overrides. */
export type ContextReader = (key: string) => unknown;

/** The settings of an environment, with what the cdk context overrides: `-c alarmEmail=a@x,b@y`. */
export function configFor(name: unknown, context: ContextReader = () => undefined): EnvironmentConfig {
  if (typeof name !== 'string' || !(ENVIRONMENTS as readonly string[]).includes(name)) {
    throw new Error(`choose an environment with -c env=${ENVIRONMENTS.join('|')} (got ${String(name)})`);
  }
  const config = CONFIGS[name as EnvironmentName];
  const alarmEmail = context('alarmEmail');
  if (typeof alarmEmail !== 'string') return config;
  const alarmEmails = alarmEmail
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  return { ...config, alarmEmails };
}
