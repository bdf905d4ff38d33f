import { loadServiceConfig, type ServiceConfig } from '../config/service-config.js';

let config: ServiceConfig | undefined;

/**
 * The process's config alone, for a handler that needs no table: read once per cold start. Kept apart from the
 * dependencies (deps.ts) so that such a handler's bundle carries no DynamoDB client.
 */
export function coldStartConfig(): ServiceConfig {
  config ??= loadServiceConfig(process.env);
  return config;
}
