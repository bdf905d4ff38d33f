import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CART_SAGA_STATES } from '../../infra/constructs/cart-saga.js';
import { LAMBDA_SERVICE_ERRORS, SAGA_ERROR_CODES } from '../../shared/carts/saga/task-errors.js';
import { resourcesOf, synthesize } from './support.js';

const { template } = synthesize('dev');

type Json = Record<string, unknown>;
interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

const [[machineId, machine] = ['', { Type: '', Properties: {} }]] = resourcesOf(
  template,
  'AWS::StepFunctions::StateMachine',
);

/** The definition with each token written as `<LogicalId>`. */
function definition(): Json {
  const join = (machine.Properties?.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const token = part as { 'Fn::GetAtt'?: [string, string]; Ref?: string };
      return `<${token['Fn::GetAtt']?.[0] ?? token.Ref}>`;
    })
    .join('');
  return JSON.parse(text) as Json;
}

const states = () => definition().States as Record<string, Json>;
const logicalIdOf = (part: string) =>
  resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith(`CartSaga${part}`))?.[0] ?? '';
const taskFunction = (state: Json) => (state.Parameters as Json).FunctionName;

function statementsOf(roleIdPrefix: string): Statement[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties?.Roles).includes(roleIdPrefix))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the cart saga state machine', () => {
  it('is an Express state machine in JSONPath, logged in full and traced', () => {
    expect(resourcesOf(template, 'AWS::StepFunctions::StateMachine')).toHaveLength(1);
    expect(machine.Properties).toMatchObject({
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: expect.anything() } }],
      },
    });
    expect(definition()).toMatchObject({
      QueryLanguage: 'JSONPath',
      StartAt: CART_SAGA_STATES.reserveEachWarehouse,
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      RetentionInDays: 7,
    });
  });

  it('reserves the warehouses one at a time, each step its own task, and compensates any failure', () => {
    const map = states()[CART_SAGA_STATES.reserveEachWarehouse] as Json;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.steps',
      MaxConcurrency: 1,
      ItemSelector: {
        'ownerId.$': '$.ownerId',
        'cartId.$': '$.cartId',
        'stepIndex.$': '$$.Map.Item.Value.stepIndex',
      },
      Next: CART_SAGA_STATES.complete,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: CART_SAGA_STATES.compensate }],
    });
    const step = (map.ItemProcessor as { States: Record<string, Json> }).States[
      CART_SAGA_STATES.reserveWarehouse
    ] as Json;
    expect(step).toMatchObject({ Type: 'Task', Resource: 'arn:<AWS::Partition>:states:::lambda:invoke' });
    expect(taskFunction(step)).toBe(`<${logicalIdOf('ReserveStep')}>`);
    expect(states()[CART_SAGA_STATES.complete]).toMatchObject({
      Next: CART_SAGA_STATES.held,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: CART_SAGA_STATES.compensate }],
    });
    expect(states()[CART_SAGA_STATES.held]).toMatchObject({ Type: 'Succeed' });
  });

  it('retries a step on Lambda service errors and contention, and never a line short of stock', () => {
    const map = states()[CART_SAGA_STATES.reserveEachWarehouse] as Json;
    const step = (map.ItemProcessor as { States: Record<string, Json> }).States[
      CART_SAGA_STATES.reserveWarehouse
    ] as Json;
    const retried = (step.Retry as Array<{ ErrorEquals: string[] }>).flatMap((r) => r.ErrorEquals);

    expect(retried).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS, SAGA_ERROR_CODES.contention]));
    expect(retried).not.toContain(SAGA_ERROR_CODES.lineShort);
    expect(retried).not.toContain('States.ALL');
    expect(retried).not.toContain('States.TaskFailed');
  });

  it('retries the compensation generously, with backoff, and then fails with the original error and cause', () => {
    const compensate = states()[CART_SAGA_STATES.compensate] as Json;
    expect(taskFunction(compensate)).toBe(`<${logicalIdOf('Compensate')}>`);
    expect(compensate.Parameters).toMatchObject({
      Payload: { 'ownerId.$': '$.ownerId', 'cartId.$': '$.cartId', 'error.$': '$.error' },
    });
    const [retry] = compensate.Retry as Array<Json>;
    expect(retry).toMatchObject({ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL' });
    expect(retry?.MaxAttempts).toBeGreaterThanOrEqual(5);
    expect(retry?.BackoffRate).toBeGreaterThan(1);
    expect(compensate.Next).toBe(CART_SAGA_STATES.failed);
    expect(states()[CART_SAGA_STATES.failed]).toEqual(
      expect.objectContaining({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' }),
    );
  });

  it('catches a compensation that fails after its retries, and fails the execution as incomplete', () => {
    const compensate = states()[CART_SAGA_STATES.compensate] as Json;

    expect(compensate.Catch).toEqual([
      {
        ErrorEquals: ['States.ALL'],
        ResultPath: '$.compensationError',
        Next: CART_SAGA_STATES.compensationIncomplete,
      },
    ]);
    expect(states()[CART_SAGA_STATES.compensationIncomplete]).toEqual(
      expect.objectContaining({
        Type: 'Fail',
        Error: 'CartCompensationIncomplete',
        CausePath: '$.compensationError.Cause',
      }),
    );
  });

  it('has a role that may invoke exactly its three functions, and otherwise only log and trace', () => {
    const roleId = (machine.Properties?.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = statementsOf(roleId);
    const invoked = statements
      .filter((s) => actions(s).includes('lambda:InvokeFunction'))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
      .map((r) => JSON.stringify(r));
    const functions = ['ReserveStep', 'Compensate', 'Complete'].map(logicalIdOf);

    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(new Set(statements.flatMap(actions).map((a) => a.split(':')[0]))).toEqual(
      new Set(['lambda', 'logs', 'xray']),
    );
    expect(statements.flatMap(actions).filter((a) => a.startsWith('lambda:'))).toEqual(
      Array(3).fill('lambda:InvokeFunction'),
    );
    expect(invoked).toHaveLength(6);
    for (const resource of invoked)
      expect(
        functions.some((id) => resource.includes(`"${id}"`)),
        resource,
      ).toBe(true);
  });

  it('grants each task function only the table actions it uses', () => {
    const dynamoActions = (part: string) =>
      statementsOf(`CartSaga${part}Role`)
        .flatMap(actions)
        .filter((a) => a.startsWith('dynamodb:'))
        .sort();
    expect(dynamoActions('ReserveStep')).toEqual([
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamoActions('Compensate')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(dynamoActions('Complete')).toEqual(['dynamodb:UpdateItem']);
  });

  it('may be run, synchronously, by the cart reservation function alone, which alone knows its ARN', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const grants = policies.flatMap(([, p]) =>
      (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.filter((s) =>
        actions(s).some((a) => a.startsWith('states:')),
      ).map((s) => ({ roles: JSON.stringify(p.Properties?.Roles), statement: s })),
    );
    const knowing = resourcesOf(template, 'AWS::Lambda::Function').filter(([, f]) =>
      JSON.stringify(f.Properties?.Environment ?? {}).includes('CART_STATE_MACHINE_ARN'),
    );

    expect(grants).toHaveLength(1);
    expect(grants[0]?.roles).toMatch(/"ApireserveCartRole[0-9A-F]+"/);
    expect(grants[0]?.statement).toMatchObject({
      Action: 'states:StartSyncExecution',
      Resource: { Ref: machineId },
    });
    expect(knowing.map(([id]) => id)).toEqual([expect.stringMatching(/^ApireserveCartFunction/)]);
    expect(knowing[0]?.[1].Properties).toMatchObject({
      Timeout: 29,
      Environment: { Variables: { CART_STATE_MACHINE_ARN: { Ref: machineId } } },
    });
  });

  it('alarms on failed, timed-out, throttled and aborted executions', () => {
    for (const metric of [
      'ExecutionsFailed',
      'ExecutionsTimedOut',
      'ExecutionThrottled',
      'ExecutionsAborted',
    ])
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machineId } }],
      });
  });
});
