import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { EnvironmentConfig } from '../config.js';
import { functionEnvironment } from '../function-environment.js';

/** What every ServiceFunction of every stack is given: the environment, and how long its logs are kept. */
export function functionDefaults(config: EnvironmentConfig, table: ITableV2) {
  return {
    environment: functionEnvironment(config, table.tableName),
    logRetentionDays: config.logRetentionDays,
    retainLogs: config.retainData,
  };
}
