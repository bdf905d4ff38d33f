import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { configFor } from '../../infra/config.js';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');
const prod = synthesize('prod', { alarmEmail: 'oncall@example.com,ops@example.com' });

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
};

const onlyLogicalId = (template: Template, type: string, idPrefix: string): string => {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(idPrefix));
  expect(ids, `${type} ${idPrefix}`).toHaveLength(1);
  return ids[0] as string;
};

const statementsOf = (template: Template, type: string, property: string): Statement[] =>
  resourcesOf(template, type).flatMap(
    ([, r]) => (r.Properties?.[property] as { Statement: Statement[] }).Statement,
  );

const fromCloudWatch = (s: Statement) =>
  JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' });

const alarmsOfThisAccount = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudwatch:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':alarm:*',
        ],
      ],
    },
  },
};

describe('the alarm topic', () => {
  it('lets CloudWatch publish, only for alarms of this account', () => {
    const topic = onlyLogicalId(dev.template, 'AWS::SNS::Topic', 'ObservabilityAlarms');
    const statements = statementsOf(dev.template, 'AWS::SNS::TopicPolicy', 'PolicyDocument');
    expect(statements.filter(fromCloudWatch)).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topic },
        Condition: alarmsOfThisAccount,
      },
    ]);
  });

  it("lets CloudWatch use the topic's key, only for alarms of this account", () => {
    const key = onlyLogicalId(dev.template, 'AWS::KMS::Key', 'ObservabilityAlarmTopicKey');
    const topic = onlyLogicalId(dev.template, 'AWS::SNS::Topic', 'ObservabilityAlarms');
    expect(dev.template.toJSON().Resources[topic].Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [key, 'Arn'],
    });
    const statements = statementsOf(dev.template, 'AWS::KMS::Key', 'KeyPolicy');
    expect(statements.filter(fromCloudWatch)).toEqual([
      {
        Sid: 'CloudWatchAlarmsEncrypt',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: alarmsOfThisAccount,
      },
    ]);
  });

  it('is subscribed by every address the environment names', () => {
    const topic = onlyLogicalId(prod.template, 'AWS::SNS::Topic', 'ObservabilityAlarms');
    const subscriptions = resourcesOf(prod.template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topic } },
      { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic } },
    ]);
  });

  it('has no subscriber, and says so at synthesis, where the environment names no address', () => {
    expect(resourcesOf(dev.template, 'AWS::SNS::Subscription')).toEqual([]);
    const warnings = dev.app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:warning')
      .map((m) => String(m.data));
    expect(warnings.filter((w) => w.includes('alarmEmail'))).toHaveLength(1);
  });
});

describe("an environment's alarm addresses", () => {
  it('come from -c alarmEmail (comma-separated) when given, instead of the config', () => {
    const context: Record<string, string> = { alarmEmail: ' a@example.com, b@example.com ' };
    expect(configFor('staging', (key) => context[key]).alarmEmails).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
  });

  it("are the config's when -c alarmEmail is not given", () => {
    expect(configFor('staging', () => undefined).alarmEmails).toEqual([]);
  });
});

describe('custom metrics', () => {
  const namespaceOf = (template: Template, metricName: string) =>
    resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties?.MetricName === metricName)
      .map(([, a]) => a.Properties?.Namespace);

  it("are published in the environment's own namespace by every function that has one", () => {
    const namespaces = (template: Template) =>
      new Set(
        resourcesOf(template, 'AWS::Lambda::Function')
          // The token trigger publishes no metric; CDK's upload of the console's files is not the service's.
          .filter(
            ([id]) => !id.startsWith('IdentityTokenClaims') && !id.startsWith('CustomCDKBucketDeployment'),
          )
          .map(
            ([, f]) =>
              (f.Properties?.Environment as { Variables: Record<string, string> }).Variables
                .POWERTOOLS_METRICS_NAMESPACE,
          ),
      );
    expect(namespaces(dev.template)).toEqual(new Set(['Inventory/dev']));
    expect(namespaces(prod.template)).toEqual(new Set(['Inventory/prod']));
  });

  it("are alarmed on in the environment's own namespace", () => {
    expect(namespaceOf(dev.template, 'ExpiredHoldLagSeconds')).toEqual(['Inventory/dev']);
    expect(namespaceOf(prod.template, 'ExpiredHoldLagSeconds')).toEqual(['Inventory/prod']);
    expect(namespaceOf(dev.template, 'LevelShardsDrifted')).toEqual(['Inventory/dev']);
    expect(namespaceOf(prod.template, 'LevelShardsDrifted')).toEqual(['Inventory/prod']);
  });
});

describe('the sweeper lag alarm', () => {
  it('fires when the sweeper reports nothing (a dead sweeper), as when it lags', () => {
    const [[, alarm] = []] = resourcesOf(dev.template, 'AWS::CloudWatch::Alarm').filter(
      ([, a]) => a.Properties?.MetricName === 'ExpiredHoldLagSeconds',
    );
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'Inventory/dev',
      Dimensions: [{ Name: 'service', Value: 'inventory' }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 180,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('is the only alarm that treats missing data as breaching', () => {
    const breaching = resourcesOf(dev.template, 'AWS::CloudWatch::Alarm')
      .filter(([, a]) => a.Properties?.TreatMissingData === 'breaching')
      .map(([, a]) => a.Properties?.MetricName);
    expect(breaching).toEqual(['ExpiredHoldLagSeconds']);
  });
});

describe('every alarm', () => {
  it('notifies the alarm topic', () => {
    const topic = onlyLogicalId(dev.template, 'AWS::SNS::Topic', 'ObservabilityAlarms');
    const alarms = resourcesOf(dev.template, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    for (const [id, alarm] of alarms) expect(alarm.Properties?.AlarmActions, id).toEqual([{ Ref: topic }]);
  });
});
