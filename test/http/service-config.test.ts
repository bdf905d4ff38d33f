import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DEFAULT_SERVICE_CONFIG,
  loadServiceConfig,
  serviceConfigEnvironment,
} from '../../shared/platform/config/service-config.js';
import { readEnvironment } from '../../shared/platform/runtime/environment.js';

const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
};

describe('service config', () => {
  it('takes the defaults when nothing is set', () => {
    expect(loadServiceConfig({})).toEqual(DEFAULT_SERVICE_CONFIG);
  });

  it('reads each limit from its environment variable', () => {
    const config = loadServiceConfig({
      MAX_HOLD_QUANTITY: '7',
      MAX_ACTIVE_HOLDS_PER_CALLER: '2',
      CALLER_RATE_LIMIT_PER_SECOND: '5',
      CALLER_RATE_LIMIT_BURST: '9',
      HOLD_TTL_DEFAULT_SECONDS: '120',
      MAX_BODY_BYTES: '2048',
    });
    expect(config).toMatchObject({
      maxHoldQuantity: 7,
      maxActiveHoldsPerCaller: 2,
      callerRateLimit: { requestsPerSecond: 5, burst: 9 },
      holdPolicy: { defaultTtlSeconds: 120 },
      maxBodyBytes: 2048,
    });
  });

  it('reads a rate limit per role, each role falling back to CALLER_RATE_LIMIT_* when that is set', () => {
    const config = loadServiceConfig({
      RATE_LIMIT_WAREHOUSE_PER_SECOND: '3',
      RATE_LIMIT_WAREHOUSE_BURST: '6',
      CALLER_RATE_LIMIT_PER_SECOND: '11',
      CALLER_RATE_LIMIT_BURST: '22',
    });
    expect(config.roleRateLimits).toEqual({
      warehouse: { requestsPerSecond: 3, burst: 6 },
      storefront: { requestsPerSecond: 11, burst: 22 },
      admin: { requestsPerSecond: 11, burst: 22 },
      analyst: { requestsPerSecond: 11, burst: 22 },
    });
    expect(loadServiceConfig({}).roleRateLimits.storefront).toEqual({ requestsPerSecond: 50, burst: 100 });
  });

  it('gives back the environment that produces a config, for the CDK stack to set', () => {
    const config = loadServiceConfig({ MAX_HOLD_QUANTITY: '3', GATEWAY_RATE_LIMIT_BURST: '77' });
    expect(loadServiceConfig(serviceConfigEnvironment(config))).toEqual(config);
  });

  it('refuses every bad value at once, naming each variable', () => {
    const problems = problemsOf(() =>
      loadServiceConfig({ MAX_HOLD_QUANTITY: '0', CALLER_RATE_LIMIT_BURST: 'many', MAX_BODY_BYTES: '1.5' }),
    );
    expect(problems.join('\n')).toMatch(/MAX_HOLD_QUANTITY/);
    expect(problems.join('\n')).toMatch(/CALLER_RATE_LIMIT_BURST/);
    expect(problems.join('\n')).toMatch(/MAX_BODY_BYTES/);
  });

  it('refuses TTL bounds that contradict each other', () => {
    expect(
      problemsOf(() => loadServiceConfig({ HOLD_TTL_MIN_SECONDS: '600', HOLD_TTL_DEFAULT_SECONDS: '60' })),
    ).toHaveLength(1);
    expect(
      problemsOf(() => loadServiceConfig({ HOLD_TTL_MAX_SECONDS: '90000', HOLD_MAX_SECONDS: '80000' })),
    ).toHaveLength(1);
  });

  it('requires TABLE_NAME at cold start', () => {
    expect(problemsOf(() => readEnvironment({}))).toEqual([
      'TABLE_NAME must be set to a DynamoDB table name',
    ]);
    expect(readEnvironment({ TABLE_NAME: 'inventory' }).tableName).toBe('inventory');
  });
});
