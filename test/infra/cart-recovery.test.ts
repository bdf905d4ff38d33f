import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from './support.js';

const { template } = synthesize('dev');

type Statement = { Action: string | string[]; Resource: unknown };
const recoveryFunction = () =>
  resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('CartRecoveryFunction'));
const recoveryStatements = (): Statement[] =>
  resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith('CartRecoveryFunction'))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);

describe('the stuck-cart recovery', () => {
  it('is a function of its own, run every 2 minutes by EventBridge Scheduler with a dead-letter queue', () => {
    const [logicalId] = recoveryFunction() ?? [];

    expect(logicalId).toBeDefined();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(2 minutes)',
      Description: 'Runs the stuck-cart recovery',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.anyValue(),
      }),
    });
  });

  it('may only read carts and holds, query the expiry index, and write what a release writes', () => {
    const dynamo = recoveryStatements().filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));

    expect(dynamo).toHaveLength(1);
    expect([...(dynamo[0]?.Action as string[])].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(dynamo[0]?.Resource)).toContain('/index/expiry');
    expect(JSON.stringify(dynamo[0]?.Resource)).not.toContain('/index/levelHolds');
  });

  it('alarms on its errors and on its dead-letter queue', () => {
    const [logicalId] = recoveryFunction() ?? [];
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});

    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'Errors' &&
          JSON.stringify(a.Dimensions).includes(logicalId ?? 'none') &&
          Array.isArray(a.AlarmActions) &&
          a.AlarmActions.length > 0,
      ),
    ).toBe(true);
    expect(
      alarms.some(
        (a) =>
          a.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Dimensions).includes('CartRecoveryDlq'),
      ),
    ).toBe(true);
  });
});
