import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config.js';
import { Observability } from '../constructs/observability.js';
import { metricsNamespace } from '../function-environment.js';
import type { StatefulStack } from './stateful-stack.js';

/** A stack of stateless parts: it reads the table, the bus, the identity and the alarm topic of the stateful one. */
export interface StatelessStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly stateful: StatefulStack;
}

/**
 * The alarms of a stateless stack, next to what they watch, sent to the stateful stack's topic. Its construct id
 * must be unique in the app (logical ids are the local runtime's function names and the tests' merged view).
 */
export function stackAlarms(scope: Construct, id: string, props: StatelessStackProps) {
  return new Observability(scope, id, {
    thresholds: props.config.alarms,
    alarmEmails: props.config.alarmEmails,
    metricsNamespace: metricsNamespace(props.config.name),
    topic: props.stateful.observability.topic,
  });
}
