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
  it.each(['dev', 'staging', 'prod'])('find nothing unacknowledged in any stack of %s', (env) => {
    expect(synthesizes(env)).not.toThrow();
  });

  it('find nothing unacknowledged in a stack whose alarms are e-mailed', () => {
    expect(synthesizes('prod', undefined, { alarmEmail: 'oncall@example.com' })).not.toThrow();
  });

  it.each([
    'stateful',
    'api',
    'cartSaga',
    'background',
  ] as const)('fail the synthesis when a finding in the %s stack is not acknowledged', (which) => {
    expect(synthesizes('dev', ({ stacks }) => new Queue(stacks[which], 'PlainQueue'))).toThrow(
      /AwsSolutions-SQS/,
    );
  });

  it('fail the synthesis when a finding in a route stack is not acknowledged', () => {
    expect(
      synthesizes('dev', ({ stacks }) => {
        const last = stacks.routes.at(-1);
        if (last) new Queue(last, 'PlainQueue');
      }),
    ).toThrow(/AwsSolutions-SQS/);
  });
});
