import { systemClock } from '../domain/clock.js';
import { DEFAULT_HOLD_POLICY, type HoldPolicy } from '../domain/hold-policy.js';
import { ulidSource } from '../domain/ids.js';
import { createDocumentClient } from '../store/document-client.js';
import { DynamoInventoryStore } from '../store/dynamo-inventory-store.js';
import type { UseCaseDeps } from '../use-cases/context.js';

/** Reads a required environment variable at cold start, failing the init with a clear message. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`environment variable ${name} must be a positive integer`);
  return n;
}

export function holdPolicyFrom(env: NodeJS.ProcessEnv): HoldPolicy {
  return {
    defaultTtlSeconds: positiveInt(env, 'HOLD_DEFAULT_TTL_SECONDS', DEFAULT_HOLD_POLICY.defaultTtlSeconds),
    minTtlSeconds: positiveInt(env, 'HOLD_MIN_TTL_SECONDS', DEFAULT_HOLD_POLICY.minTtlSeconds),
    maxTtlSeconds: positiveInt(env, 'HOLD_MAX_TTL_SECONDS', DEFAULT_HOLD_POLICY.maxTtlSeconds),
    maxHoldSeconds: positiveInt(env, 'HOLD_MAX_SECONDS', DEFAULT_HOLD_POLICY.maxHoldSeconds),
    retentionSeconds: positiveInt(env, 'HOLD_RETENTION_SECONDS', DEFAULT_HOLD_POLICY.retentionSeconds),
    purgeGraceSeconds: positiveInt(env, 'HOLD_PURGE_GRACE_SECONDS', DEFAULT_HOLD_POLICY.purgeGraceSeconds),
  };
}

/**
 * The use-case dependencies of a background function (sweeper, stream consumers), built once at cold start.
 * The DynamoDB endpoint is never read here: locally the runtime sets the SDK's AWS_ENDPOINT_URL_DYNAMODB.
 */
export function backgroundDeps(env: NodeJS.ProcessEnv = process.env): UseCaseDeps {
  const tableName = requiredEnv(env, 'TABLE_NAME');
  return {
    store: new DynamoInventoryStore({ client: createDocumentClient(), tableName }),
    clock: systemClock,
    ids: ulidSource(systemClock),
    holdPolicy: holdPolicyFrom(env),
  };
}
