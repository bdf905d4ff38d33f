import { serviceConfigEnvironment } from '../shared/config/service-config.js';
import type { EnvironmentConfig } from './config.js';

/** The environment every function gets: the table, and the service's limits as the functions read them. */
export function functionEnvironment(config: EnvironmentConfig, tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    SERVICE_ENVIRONMENT: config.name,
    ...serviceConfigEnvironment(config.service),
  };
}

/** Powertools' service name and metrics namespace: every function's, deployed and in the local runtime. */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'inventory',
  POWERTOOLS_METRICS_NAMESPACE: 'Inventory',
} as const;
