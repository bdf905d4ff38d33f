import { ConfigurationError, loadServiceConfig, type ServiceConfig } from '../config/service-config.js';

/**
 * What a handler needs from its environment, checked once at cold start. The DynamoDB endpoint is not read
 * here: the AWS SDK takes it from its standard `AWS_ENDPOINT_URL_DYNAMODB` when the local runtime sets it, so
 * handler code never asks where it runs.
 */
export interface RuntimeEnvironment {
  readonly tableName: string;
  readonly config: ServiceConfig;
}

const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

export function readEnvironment(env: Readonly<Record<string, string | undefined>>): RuntimeEnvironment {
  const tableName = env.TABLE_NAME;
  const problems: string[] = [];
  if (!tableName || !TABLE_NAME_PATTERN.test(tableName)) {
    problems.push('TABLE_NAME must be set to a DynamoDB table name');
  }
  let config: ServiceConfig | null = null;
  try {
    config = loadServiceConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length || !tableName || !config) throw new ConfigurationError(problems);
  return { tableName, config };
}
