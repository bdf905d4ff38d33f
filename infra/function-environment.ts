import { serviceConfigEnvironment } from '../shared/platform/config/service-config.js';
import type { EnvironmentConfig } from './config.js';

/** The environment every function gets: the table, the service's limits as the functions read them, metrics. */
export function functionEnvironment(config: EnvironmentConfig, tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    SERVICE_ENVIRONMENT: config.name,
    POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(config.name),
    ...serviceConfigEnvironment(config.service),
  };
}

/** Powertools' service name (its logs' `service` and its metrics' `service` dimension), deployed and local. */
export const POWERTOOLS_SERVICE_NAME = 'inventory';

/**
 * The custom metrics' namespace of an environment: two environments in one account must not feed each other's
 * alarms. The local runtime publishes (to its log only) under `Inventory/local`.
 */
export function metricsNamespace(environment: string): string {
  return `Inventory/${environment}`;
}

/** Powertools' service name and metrics namespace outside the cloud: the local runtime and the benchmark. */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: metricsNamespace('local'),
} as const;
