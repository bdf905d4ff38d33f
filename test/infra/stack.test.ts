import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PURGED_HOLD_FILTER } from '../../shared/holds/streams/purged-holds.js';
import { TABLE_SCHEMA } from '../../shared/platform/store/table-definition.js';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');
const prod = synthesize('prod');

const onlyLogicalId = (template: Template, type: string, idPrefix: string): string => {
  const ids = resourcesOf(template, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(idPrefix));
  expect(ids, `${type} ${idPrefix}`).toHaveLength(1);
  return ids[0] as string;
};
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

describe('the table', () => {
  it('has the keys, indexes, TTL, stream and recovery of the one schema', () => {
    dev.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          Projection:
            index.projection === 'KEYS_ONLY'
              ? { ProjectionType: 'KEYS_ONLY' }
              : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
        }),
      ),
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('is kept and protected in prod, and not in dev', () => {
    const [, prodTable] = resourcesOf(prod.template, 'AWS::DynamoDB::GlobalTable')[0] ?? [];
    const [, devTable] = resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable')[0] ?? [];
    expect(prodTable?.Properties?.Replicas).toEqual([
      expect.objectContaining({ DeletionProtectionEnabled: true }),
    ]);
    expect(devTable?.Properties?.Replicas).toEqual([
      expect.objectContaining({ DeletionProtectionEnabled: false }),
    ]);
    const prodPolicy = Object.values(
      prod.template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>,
    ).find((r) => r.Type === 'AWS::DynamoDB::GlobalTable')?.DeletionPolicy;
    expect(prodPolicy).toBe('Retain');
  });
});

describe('functions', () => {
  it('run on arm64 with the latest Node.js runtime, tracing and JSON logs; all but the token trigger know the table', () => {
    const table = onlyLogicalId(dev.template, 'AWS::DynamoDB::GlobalTable', 'Data');
    for (const [id, fn] of resourcesOf(dev.template, 'AWS::Lambda::Function')) {
      // CDK's own upload of the console's files (a custom resource whose runtime aws-cdk-lib chooses).
      if (id.startsWith('CustomCDKBucketDeployment')) continue;
      expect(fn.Properties, id).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: expect.objectContaining({ LogFormat: 'JSON' }),
      });
      const variables =
        (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      if (id.startsWith('IdentityTokenClaims')) expect(variables.TABLE_NAME, id).toBeUndefined();
      else expect(variables.TABLE_NAME, id).toEqual({ Ref: table });
    }
  });

  it('each write only to their own log group, with the environment retention', () => {
    const groups = resourcesOf(prod.template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [, group] of groups) expect(group.Properties?.RetentionInDays).toBe(365);
    const managed = resourcesOf(dev.template, 'AWS::IAM::Role').flatMap(
      ([, r]) => (r.Properties?.ManagedPolicyArns as unknown[]) ?? [],
    );
    expect(managed).toEqual([]);
  });
});

describe('hold expiry', () => {
  it('runs the sweeper every minute through EventBridge Scheduler, with a dead-letter queue', () => {
    const sweeper = onlyLogicalId(dev.template, 'AWS::Lambda::Function', 'HoldExpirySweeper');
    const dlq = onlyLogicalId(dev.template, 'AWS::SQS::Queue', 'HoldExpirySweeperDlq');
    dev.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: Match.objectLike({
        Arn: getAtt(sweeper),
        DeadLetterConfig: { Arn: getAtt(dlq) },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
      }),
    });
  });

  it('feeds the TTL backstop only TTL deletions of held reservations, with an on-failure queue', () => {
    const backstop = onlyLogicalId(dev.template, 'AWS::Lambda::Function', 'HoldExpiryTtlBackstop');
    const dlq = onlyLogicalId(dev.template, 'AWS::SQS::Queue', 'HoldExpiryTtlBackstopDlq');
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: backstop },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(PURGED_HOLD_FILTER) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: getAtt(dlq) } },
    });
  });

  it('grants the sweeper only the table actions it uses, on the table and the expiry index', () => {
    const policies = resourcesOf(dev.template, 'AWS::IAM::Policy').filter(([id]) => id.includes('Sweeper'));
    const statements = policies.flatMap(
      ([, p]) =>
        (p.Properties?.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> })
          .Statement,
    );
    const dynamo = statements.find((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect([...((dynamo?.Action as string[]) ?? [])].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(JSON.stringify(dynamo?.Resource)).toContain('/index/expiry');
    expect(JSON.stringify(statements)).not.toMatch(/dynamodb:\*|dynamodb:Scan|dynamodb:DeleteItem/);
  });
});

describe('observability', () => {
  it('alarms on the sweeper lag, function errors and dead-letter queues', () => {
    const sweeper = onlyLogicalId(dev.template, 'AWS::Lambda::Function', 'HoldExpirySweeper');
    const dlq = onlyLogicalId(dev.template, 'AWS::SQS::Queue', 'HoldExpirySweeperDlq');
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExpiredHoldLagSeconds',
      Threshold: 180,
    });
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(dlq, 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    dev.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: sweeper } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('sends alarms to a topic encrypted with its own rotated key, over TLS only', () => {
    const key = onlyLogicalId(dev.template, 'AWS::KMS::Key', 'ObservabilityAlarmTopicKey');
    dev.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    dev.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(key) });
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('the API', () => {
  it('has one function per route of the route table', async () => {
    const { ROUTE_TABLE } = await import('../../shared/platform/http/route-table.js');
    const functions = resourcesOf(dev.template, 'AWS::Lambda::Function').map(([, f]) =>
      String(f.Properties?.Description),
    );
    for (const route of ROUTE_TABLE) expect(functions).toContain(`${route.method} ${route.path}`);
  });

  it('throttles the stage from the service config and writes access logs to its own log group', () => {
    const logs = onlyLogicalId(prod.template, 'AWS::Logs::LogGroup', 'ApiAccessLogs');
    prod.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 4000 },
      AccessLogSettings: { DestinationArn: getAtt(logs), Format: Match.anyValue() },
    });
  });

  it("writes each access log line as JSON of the HTTP API's own context fields", () => {
    const [[, stage] = []] = resourcesOf(dev.template, 'AWS::ApiGatewayV2::Stage');
    const format = (stage?.Properties?.AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toEqual({
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      sourceIp: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
      httpMethod: '$context.httpMethod',
      path: '$context.path',
      routeKey: '$context.routeKey',
      protocol: '$context.protocol',
      status: '$context.status',
      responseLength: '$context.responseLength',
      responseLatency: '$context.responseLatency',
      principal: '$context.authorizer.claims.sub',
      authorizerError: '$context.authorizer.error',
      errorMessage: '$context.error.message',
      errorResponseType: '$context.error.responseType',
      integrationStatus: '$context.integrationStatus',
      integrationLatency: '$context.integrationLatency',
      integrationError: '$context.integration.error',
      integrationErrorMessage: '$context.integrationErrorMessage',
      integrationRequestId: '$context.integration.requestId',
    });
  });

  it('lets a read-only route read the table and nothing more, and a route without table access not touch it', async () => {
    const { ROUTE_TABLE } = await import('../../shared/platform/http/route-table.js');
    const policies = resourcesOf(dev.template, 'AWS::IAM::Policy');
    const actionsOf = (operationId: string) =>
      policies
        .filter(([id]) => id.startsWith(`Api${operationId}`))
        .flatMap(
          ([, p]) =>
            (p.Properties?.PolicyDocument as { Statement: Array<{ Action: string | string[] }> }).Statement,
        )
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
        .filter((a) => a.startsWith('dynamodb:'));
    for (const route of ROUTE_TABLE) {
      const actions = actionsOf(route.operationId);
      if (route.tableAccess === 'none') expect(actions, route.operationId).toEqual([]);
      if (route.tableAccess === 'read')
        expect(
          actions.filter((a) => /Put|Update|Delete|ConditionCheck/.test(a)),
          route.operationId,
        ).toEqual([]);
      expect(
        actions.filter((a) => /Scan|DeleteItem|\*/.test(a)),
        route.operationId,
      ).toEqual([]);
    }
  });
});
