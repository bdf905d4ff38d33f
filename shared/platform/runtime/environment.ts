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

/** The variable that names the cart saga's state machine, set on the functions that run it. */
export const CART_STATE_MACHINE_ARN = 'CART_STATE_MACHINE_ARN';

const STATE_MACHINE_ARN_PATTERN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

/**
 * The cart saga's state machine, checked at the cold start of a function that runs it. Its endpoint is not read
 * here: the SDK takes `AWS_ENDPOINT_URL_SFN` itself when the local runtime sets it.
 */
export function readCartStateMachineArn(env: Readonly<Record<string, string | undefined>>): string {
  const arn = env[CART_STATE_MACHINE_ARN];
  if (!arn || !STATE_MACHINE_ARN_PATTERN.test(arn)) {
    throw new ConfigurationError([`${CART_STATE_MACHINE_ARN} must be set to a state machine ARN`]);
  }
  return arn;
}

/** The variable that names the inventory event bus, set on the functions that publish to it. */
export const EVENT_BUS_NAME = 'EVENT_BUS_NAME';

const EVENT_BUS_NAME_PATTERN = /^[A-Za-z0-9/._-]{1,256}$/;

/** The inventory event bus, checked at the cold start of a function that publishes events itself. */
export function readEventBusName(env: Readonly<Record<string, string | undefined>>): string {
  const name = env[EVENT_BUS_NAME];
  if (!name || !EVENT_BUS_NAME_PATTERN.test(name) || name === 'default') {
    throw new ConfigurationError([`${EVENT_BUS_NAME} must be set to the name of the inventory event bus`]);
  }
  return name;
}
