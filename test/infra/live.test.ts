import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_RULES } from '../../shared/events/rules.js';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');
const live = dev.templates.get('Inventory-dev-Live');
if (!live) throw new Error('no Inventory-dev-Live stack');

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

const logicalId = (type: string, prefix: string) => {
  const ids = resourcesOf(live, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0] as string;
};

const api = logicalId('AWS::ApiGatewayV2::Api', 'LiveApi');
const fn = (name: string) => logicalId('AWS::Lambda::Function', `Live${name}Function`);

describe('the live stack', () => {
  it('is a WebSocket API that selects routes by the action of a message', () => {
    live.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    live.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: api },
      StageName: 'live',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 }),
    });
  });

  it('has the routes $connect, $disconnect, subscribe, unsubscribe, ping and $default, with the authorizer on $connect only', () => {
    const routes = resourcesOf(live, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties ?? {});
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      ['$connect', '$default', '$disconnect', 'ping', 'subscribe', 'unsubscribe'].sort(),
    );
    for (const route of routes)
      expect(route.AuthorizationType, String(route.RouteKey)).toBe(
        route.RouteKey === '$connect' ? 'CUSTOM' : 'NONE',
      );
  });

  it('authorizes a connection with a request authorizer reading the token query parameter', () => {
    live.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: api },
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
  });

  it("verifies the token against the HTTP API's issuer and app client", () => {
    const authorizer = resourcesOf(live, 'AWS::Lambda::Function').find(
      ([id]) => id === fn('Authorizer'),
    )?.[1];
    const variables = (authorizer?.Properties?.Environment as { Variables: Record<string, unknown> })
      .Variables;
    const issuer = JSON.stringify(variables.LIVE_JWT_ISSUER);
    expect(issuer).toContain('https://cognito-idp.');
    expect(issuer).toContain('IdentityUsers');
    expect(JSON.stringify(variables.LIVE_JWKS_URI)).toContain('/.well-known/jwks.json');
    expect(JSON.stringify(variables.LIVE_JWT_AUDIENCE)).toContain('IdentityUsersApiClient');
  });

  it('lets only the message and fan-out functions manage connections, of this API and stage only', () => {
    const managing = resourcesOf(live, 'AWS::IAM::Policy').flatMap(([id, p]) =>
      (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
        actionsOf(s).some((a) => a.startsWith('execute-api:')),
      ).map((s) => ({ id, s })),
    );
    expect(managing.map(({ id }) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'LiveFanOutRoleDefaultPolicy',
      'LiveMessageRoleDefaultPolicy',
    ]);
    for (const { s } of managing) {
      expect(actionsOf(s)).toEqual(['execute-api:ManageConnections']);
      const resource = JSON.stringify(s.Resource);
      expect(resource).toContain(`{"Ref":"${api}"}`);
      expect(resource).toContain('/live/*/@connections/*');
    }
  });

  it('feeds the fan-out from a rule on the inventory bus, with the live-stock pattern, retries and a dead-letter queue', () => {
    const [[, rule] = []] = resourcesOf(live, 'AWS::Events::Rule');
    expect(rule?.Properties?.EventPattern).toEqual(EVENT_RULES.liveStock.pattern);
    const [target] = rule?.Properties?.Targets as Array<Record<string, unknown>>;
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': [fn('FanOut'), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'LiveFanOutDlq'), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
    });
    expect(JSON.stringify(rule?.Properties?.EventBusName)).toContain('EventsBus');
  });

  it('alarms on fan-out errors, its dead letters and the age of the changes it pushes, to the alarm topic', () => {
    const alarms = resourcesOf(live, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    const watching = (metric: string, dimension?: string) =>
      alarms.filter(
        (a) =>
          a.MetricName === metric &&
          (dimension === undefined || JSON.stringify(a.Dimensions).includes(dimension)),
      );
    expect(watching('Errors', fn('FanOut'))).toHaveLength(1);
    expect(watching('ApproximateNumberOfMessagesVisible', 'LiveFanOutDlq')).toHaveLength(1);
    expect(watching('LiveChangeAgeSeconds')).toEqual([
      expect.objectContaining({ Namespace: 'Inventory/dev', Statistic: 'Maximum', Threshold: 60 }),
    ]);
    for (const alarm of alarms) {
      expect(JSON.stringify(alarm.AlarmActions), String(alarm.MetricName)).toContain('ObservabilityAlarms');
    }
  });

  it('grants each function only the table actions it uses', () => {
    const tableActions = (role: string) =>
      resourcesOf(live, 'AWS::IAM::Policy')
        .filter(([id]) => id.startsWith(`Live${role}RoleDefaultPolicy`))
        .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    expect(tableActions('Authorizer')).toEqual([]);
    expect(tableActions('Connect')).toEqual(['dynamodb:PutItem']);
    expect(tableActions('Disconnect')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem']);
    expect(tableActions('Message')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    const messageIndexes = resourcesOf(live, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('LiveMessageRoleDefaultPolicy'))
      .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
      .flatMap((s) => JSON.stringify(s.Resource).match(/\/index\/[A-Za-z0-9]+/g) ?? []);
    expect(messageIndexes).toEqual(['/index/list1']);
    expect(tableActions('FanOut')).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
    ]);
  });
});
