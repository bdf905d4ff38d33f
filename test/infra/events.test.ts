import { Duration } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { CONFIGS } from '../../infra/config.js';
import { PIPE_MAX_RETRY_ATTEMPTS } from '../../infra/constructs/event-log.js';
import { EVENT_RULES, PIPE_SOURCE_BATCH_SIZE, STREAM_FILTER_PATTERNS } from '../../shared/events/rules.js';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');
const prod = synthesize('prod');

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

const logicalIdOf = (template: Template, type: string, idPrefix: string) => {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(idPrefix));
  expect(ids, `${type} ${idPrefix}`).toHaveLength(1);
  return ids[0] as string;
};

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

function statementsOf(template: Template, policyIdPrefix: string): Statement[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([id]) => id.startsWith(policyIdPrefix))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? [...s.Action] : [s.Action]).sort();
const dynamoActionsOf = (statements: Statement[]) =>
  statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'));

const table = logicalIdOf(dev.template, 'AWS::DynamoDB::GlobalTable', 'Data');
const bus = logicalIdOf(dev.template, 'AWS::Events::EventBus', 'Events');
const enrichment = logicalIdOf(dev.template, 'AWS::Lambda::Function', 'EventsEnrichment');
const pipeDlq = logicalIdOf(dev.template, 'AWS::SQS::Queue', 'EventsPipeDlq');

describe('the event pipe', () => {
  it('reads the table stream from its oldest record, filtered by STREAM_FILTER_PATTERNS, in batches of PIPE_SOURCE_BATCH_SIZE', () => {
    dev.template.hasResourceProperties('AWS::Pipes::Pipe', {
      Source: getAtt(table, 'StreamArn'),
      SourceParameters: {
        FilterCriteria: { Filters: STREAM_FILTER_PATTERNS.map((p) => ({ Pattern: JSON.stringify(p) })) },
        DynamoDBStreamParameters: Match.objectLike({
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: PIPE_SOURCE_BATCH_SIZE,
        }),
      },
    });
  });

  it('retries and bisects a failing batch, then sends it to its dead-letter queue', () => {
    dev.template.hasResourceProperties('AWS::Pipes::Pipe', {
      SourceParameters: Match.objectLike({
        DynamoDBStreamParameters: Match.objectLike({
          MaximumRetryAttempts: PIPE_MAX_RETRY_ATTEMPTS,
          OnPartialBatchItemFailure: 'AUTOMATIC_BISECT',
          DeadLetterConfig: { Arn: getAtt(pipeDlq) },
        }),
      }),
    });
  });

  it('enriches with the enrichment function and puts each returned element on the bus as one event', () => {
    dev.template.hasResourceProperties('AWS::Pipes::Pipe', {
      Enrichment: getAtt(enrichment),
      Target: getAtt(bus),
      TargetParameters: {
        EventBridgeEventBusParameters: { Source: '$.source', DetailType: '$.detail-type' },
        InputTemplate: '<$.detail>',
      },
    });
  });

  it('runs as a role that may read that stream, invoke that function, put on that bus and send to that queue, nothing more', () => {
    const pipe = resourcesOf(dev.template, 'AWS::Pipes::Pipe')[0]?.[1];
    const roleId = (pipe?.Properties?.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = dev.template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'pipes.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = statementsOf(dev.template, roleId.replace(/[0-9A-F]{8}$/, ''));
    expect(statements.map((s) => ({ Action: actionsOf(s), Resource: s.Resource, Effect: s.Effect }))).toEqual(
      [
        {
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: getAtt(table, 'StreamArn'),
          Effect: 'Allow',
        },
        { Action: ['dynamodb:ListStreams'], Resource: '*', Effect: 'Allow' },
        { Action: ['lambda:InvokeFunction'], Resource: getAtt(enrichment), Effect: 'Allow' },
        { Action: ['events:PutEvents'], Resource: getAtt(bus), Effect: 'Allow' },
        { Action: ['sqs:SendMessage'], Resource: getAtt(pipeDlq), Effect: 'Allow' },
      ],
    );
  });

  it('lets the enrichment read movements, alert items and shards, and put alert items: no update, delete or scan', () => {
    const statements = statementsOf(dev.template, 'EventsEnrichmentRole');
    expect(dynamoActionsOf(statements).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    const dynamo = statements.find((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo?.Resource).toEqual(getAtt(table));
  });
});

describe('the inventory bus', () => {
  it('is a custom bus whose archive keeps every inventory event, longer in prod', () => {
    for (const [env, { template }] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: getAtt(bus),
        EventPattern: EVENT_RULES.eventLogArchive.pattern,
        RetentionDays: CONFIGS[env].eventArchiveRetentionDays,
      });
    }
    expect(CONFIGS.prod.eventArchiveRetentionDays).toBeGreaterThan(CONFIGS.dev.eventArchiveRetentionDays);
  });

  it('is named in the stack outputs', () => {
    dev.template.hasOutput('EventBusName', { Value: { Ref: bus } });
  });
});

describe('the rules', () => {
  const ruleWith = (description: string) => {
    const rules = resourcesOf(dev.template, 'AWS::Events::Rule').filter(
      ([, r]) => r.Properties?.Description === description,
    );
    expect(rules, description).toHaveLength(1);
    return rules[0]?.[1].Properties as {
      EventBusName: unknown;
      EventPattern: unknown;
      Targets: Array<{ Arn: unknown; DeadLetterConfig?: { Arn: unknown }; RetryPolicy?: unknown }>;
    };
  };

  it.each([
    EVENT_RULES.replenishment,
    EVENT_RULES.analytics,
  ])('$name: on the inventory bus, with the pattern of EVENT_RULES, each target with a dead-letter queue and a retry policy', (rule) => {
    const properties = ruleWith(rule.description);
    expect(properties.EventBusName).toEqual({ Ref: bus });
    expect(properties.EventPattern).toEqual(rule.pattern);
    expect(properties.Targets.length).toBeGreaterThan(0);
    for (const target of properties.Targets) {
      expect(target.DeadLetterConfig?.Arn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: expect.any(Number),
        MaximumEventAgeInSeconds: expect.any(Number),
      });
    }
  });

  it('sends StockLow to the replenishment function, whose failed invocations go to the same dead-letter queue', () => {
    const replenishment = logicalIdOf(
      dev.template,
      'AWS::Lambda::Function',
      'ConsumersReplenishmentConsumer',
    );
    const [target] = ruleWith(EVENT_RULES.replenishment.description).Targets;
    expect(target?.Arn).toEqual(getAtt(replenishment));
    const fn = dev.template.toJSON().Resources[replenishment];
    expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: target?.DeadLetterConfig?.Arn });
  });

  it('lets the replenishment function open a request (get, put, update) and nothing else on the table', () => {
    const statements = statementsOf(dev.template, 'ConsumersReplenishmentConsumerRole');
    expect(dynamoActionsOf(statements).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('sends every event to the analytics log group, which lets EventBridge write to it and no one else', () => {
    const logGroup = logicalIdOf(dev.template, 'AWS::Logs::LogGroup', 'ConsumersAnalyticsFeed');
    const [target] = ruleWith(EVENT_RULES.analytics.description).Targets;
    expect(JSON.stringify(target?.Arn)).toContain(`"Ref":"${logGroup}"`);
    const policies = resourcesOf(dev.template, 'AWS::Logs::ResourcePolicy');
    expect(policies).toHaveLength(1);
    const document = JSON.stringify(policies[0]?.[1].Properties?.PolicyDocument);
    expect(document).toContain('events.amazonaws.com');
    expect(document).toContain('logs:CreateLogStream');
    expect(document).toContain('logs:PutLogEvents');
    expect(document).toContain(logGroup);
    expect(document).not.toMatch(/"Principal\\*":\\*"\*"|"AWS\\*":\\*"\*"/);
  });

  it('lets EventBridge send to each rule dead-letter queue only from its own rule', () => {
    for (const rule of [EVENT_RULES.replenishment, EVENT_RULES.analytics]) {
      const [target] = ruleWith(rule.description).Targets;
      const queueId = (target?.DeadLetterConfig?.Arn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
              Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
    }
  });
});

describe('reconciliation', () => {
  const reconcile = logicalIdOf(dev.template, 'AWS::Lambda::Function', 'ReconciliationReconcile');

  it('runs on an EventBridge Scheduler schedule from the config, with retries and a dead-letter queue', () => {
    dev.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: ScheduleExpression.rate(Duration.hours(CONFIGS.dev.reconcileEveryHours))
        .expressionString,
      Target: Match.objectLike({
        Arn: getAtt(reconcile),
        DeadLetterConfig: { Arn: getAtt(logicalIdOf(dev.template, 'AWS::SQS::Queue', 'ReconciliationDlq')) },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
      }),
    });
  });

  it('may only read the table, write its own checkpoints and the registry of sharded levels, and put events on the inventory bus: it never changes stock', () => {
    const statements = statementsOf(dev.template, 'ReconciliationReconcileRole');
    expect(dynamoActionsOf(statements).sort()).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ]);
    const writes = statements.filter((s) =>
      actionsOf(s).some((a) =>
        ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'].includes(a),
      ),
    );
    const inTransactions = {
      'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] },
    };
    expect(writes.map((s) => [actionsOf(s), s.Condition])).toEqual([
      [['dynamodb:PutItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECONCILE#*'] } }],
      [
        ['dynamodb:UpdateItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SHARDED#*'] }, ...inTransactions },
      ],
      [
        ['dynamodb:ConditionCheckItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SKU#*'] }, ...inTransactions },
      ],
    ]);
    const putEvents = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('events:')));
    expect(putEvents.map((s) => [actionsOf(s), s.Resource])).toEqual([[['events:PutEvents'], getAtt(bus)]]);
    const fn = dev.template.toJSON().Resources[reconcile];
    expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({ Ref: bus });
  });
});

describe('observability of the event pipeline', () => {
  const alarms = () => resourcesOf(dev.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});

  it("alarms on the Pipe's failed executions and on each new dead-letter queue", () => {
    const pipeName = { Ref: logicalIdOf(dev.template, 'AWS::Pipes::Pipe', 'Events') };
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/EventBridge/Pipes',
        MetricName: 'ExecutionFailed',
        Dimensions: [{ Name: 'PipeName', Value: pipeName }],
      }),
    );
    for (const prefix of [
      'EventsPipeDlq',
      'ConsumersReplenishmentDlq',
      'ConsumersAnalyticsDlq',
      'ReconciliationDlq',
    ]) {
      const queue = logicalIdOf(dev.template, 'AWS::SQS::Queue', prefix);
      expect(alarms(), prefix).toContainEqual(
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }],
        }),
      );
    }
  });

  it('alarms on errors of the enrichment, replenishment and reconciliation functions, and on drift', () => {
    for (const prefix of ['EventsEnrichment', 'ConsumersReplenishmentConsumer', 'ReconciliationReconcile']) {
      const fn = logicalIdOf(dev.template, 'AWS::Lambda::Function', prefix);
      expect(alarms(), prefix).toContainEqual(
        expect.objectContaining({
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
        }),
      );
    }
    expect(alarms()).toContainEqual(expect.objectContaining({ MetricName: 'LevelShardsDrifted' }));
  });
});
