import { App } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';

const synthesizes =
  (env: string, spoil?: (app: ReturnType<typeof buildApp>) => void, context: Record<string, string> = {}) =>
  () => {
    const built = buildApp(new App({ context: { ...context, env, 'aws:cdk:bundling-stacks': [] } }));
    spoil?.(built);
    built.app.synth();
  };

describe("cdk-nag's AWS Solutions and Serverless packs", () => {
  it.each(['dev', 'staging', 'prod'])('find nothing unacknowledged in the %s stack', (env) => {
    expect(synthesizes(env)).not.toThrow();
  });

  it('find nothing unacknowledged in a stack whose alarms are e-mailed', () => {
    expect(synthesizes('prod', undefined, { alarmEmail: 'oncall@example.com' })).not.toThrow();
  });

  it('fail the synthesis when a finding is not acknowledged', () => {
    expect(synthesizes('dev', ({ stack }) => new Queue(stack, 'PlainQueue'))).toThrow(/AwsSolutions-SQS/);
  });
});
