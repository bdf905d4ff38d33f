import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { CART_SAGA_STATES } from '../../infra/constructs/cart-saga.js';
import { CART_SAGA_CONSTRUCT_PATH } from '../../infra/local/runtime.js';
import {
  resolveTokens,
  synthesizeStateMachines,
  tasksOf,
} from '../../infra/local/synthesized-state-machines.js';
import { createCart, getCart } from '../../shared/carts/use-cases/carts.js';
import { type CartId, parseCartId } from '../../shared/kernel/identifiers.js';
import { useTestApi } from '../api/support/api.js';
import { aPrincipal, aStockedLevel } from '../support/fixtures.js';

/**
 * The Step Functions stand-in: the state machines the CDK stack synthesizes, run by aws-local-stepfunctions,
 * reached by the AWS SDK through its standard endpoint variable (as the handlers reach it).
 */
const api = useTestApi();
/** Made once the runtime has set `AWS_ENDPOINT_URL_SFN` (as a handler's client is, at its cold start). */
let client: SFNClient | undefined;
const sfn = () => {
  client ??= new SFNClient({ maxAttempts: 1 });
  return client;
};
afterAll(() => client?.destroy());

let carts = 0;
const aCartId = (): CartId => parseCartId(`sfn-cart-${carts++}`);

/** A recorded one-step cart (the saga's input), `stock` units for a line of `quantity`. */
async function aRecordedCart(stock: number, quantity: number) {
  const { sku, locationId } = await aStockedLevel(api().deps, stock);
  const ownerId = aPrincipal();
  const cartId = aCartId();
  await createCart(
    api().deps,
    { cartId, lines: [{ sku, quantity, locationId: null }], strategy: 'priority' },
    ownerId,
    [{ locationId, lines: [{ lineIndex: 0, sku, quantity }] }],
  );
  return { ownerId, cartId, input: JSON.stringify({ ownerId, cartId, steps: [{ stepIndex: 0 }] }) };
}

const sagaArn = () => api().stepFunctions.arnOf(CART_SAGA_CONSTRUCT_PATH);

describe('the synthesized state machines', () => {
  it("are the stack's, with each Lambda task mapped to the handler file its function is built from", async () => {
    const machines = await synthesizeStateMachines({ environment: 'dev', region: 'us-east-1' });

    expect(machines.map((m) => [m.name, m.type])).toEqual([['CartSaga-StateMachine', 'EXPRESS']]);
    const tasks = Object.fromEntries(
      [...(machines[0]?.tasks.values() ?? [])].map((t) => [t.stateName, [t.handler, t.map?.name ?? null]]),
    );
    expect(tasks).toEqual({
      [CART_SAGA_STATES.reserveWarehouse]: [
        'functions/reserve-cart-step.ts',
        CART_SAGA_STATES.reserveEachWarehouse,
      ],
      [CART_SAGA_STATES.complete]: ['functions/complete-cart.ts', null],
      [CART_SAGA_STATES.compensate]: ['functions/compensate-cart.ts', null],
    });
  });

  it('resolve the tokens CDK writes into a definition, and refuse one they cannot', () => {
    const resources = { Fn1: { Type: 'AWS::Lambda::Function' }, Queue1: { Type: 'AWS::SQS::Queue' } };
    const definition = {
      'Fn::Join': [
        '',
        ['"', { Ref: 'AWS::Partition' }, '|', { 'Fn::GetAtt': ['Fn1', 'Arn'] }, '|', { Ref: 'Queue1' }, '"'],
      ],
    };

    expect(resolveTokens(definition, resources, 'eu-west-1')).toBe(
      '"aws|arn:aws:lambda:eu-west-1:000000000000:function:Fn1|Queue1"',
    );
    expect(() => resolveTokens({ 'Fn::Sub': 'x' }, resources, 'eu-west-1')).toThrow(/cannot resolve/);
    expect(() => resolveTokens({ Ref: 'Missing' }, resources, 'eu-west-1')).toThrow(/does not have/);
  });

  it('refuse what aws-local-stepfunctions cannot run: JSONata, and tasks other than Lambda', () => {
    const handlers = new Map([['Fn1', { handler: 'functions/x.ts', timeoutSeconds: 3 }]]);
    const task = (Resource: string) => ({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource, Parameters: { FunctionName: 'arn:aws:lambda:r:1:function:Fn1' } },
      },
    });

    expect(tasksOf(task('arn:aws:states:::lambda:invoke'), handlers).get('T')?.handler).toBe(
      'functions/x.ts',
    );
    expect(() =>
      tasksOf({ ...task('arn:aws:states:::lambda:invoke'), QueryLanguage: 'JSONata' }, handlers),
    ).toThrow(/JSONata/);
    expect(() => tasksOf(task('arn:aws:states:::dynamodb:putItem'), handlers)).toThrow(/Lambda tasks only/);
  });
});

describe('the Step Functions stand-in', () => {
  it('runs StartSyncExecution from the AWS SDK to the end of the saga (the SDK calls its sync- host)', async () => {
    const { ownerId, cartId, input } = await aRecordedCart(5, 2);

    const output = await sfn().send(new StartSyncExecutionCommand({ stateMachineArn: sagaArn(), input }));

    expect(output).toMatchObject({ status: 'SUCCEEDED', input });
    expect(output.executionArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:express:CartSaga-StateMachine:/,
    );
    expect(output.stopDate?.getTime()).toBeGreaterThanOrEqual(output.startDate?.getTime() ?? Infinity);
    expect((await getCart(api().deps, ownerId, cartId)).status).toBe('HELD');
  });

  it("answers a failed execution with the Fail state's error and cause", async () => {
    const { ownerId, cartId, input } = await aRecordedCart(1, 3);

    const output = await sfn().send(new StartSyncExecutionCommand({ stateMachineArn: sagaArn(), input }));

    expect(output).toMatchObject({ status: 'FAILED', error: 'CartLineShort' });
    expect(JSON.parse(output.cause ?? '{}')).toMatchObject({ errorType: 'CartLineShort' });
    expect((await getCart(api().deps, ownerId, cartId)).status).toBe('FAILED');
  });

  it('starts an execution with StartExecution and describes it with DescribeExecution', async () => {
    const { input } = await aRecordedCart(5, 2);

    const { executionArn } = await sfn().send(
      new StartExecutionCommand({ stateMachineArn: sagaArn(), input }),
    );
    const describe = () => sfn().send(new DescribeExecutionCommand({ executionArn }));
    let described = await describe();
    for (let polls = 0; described.status === 'RUNNING' && polls < 200; polls++) {
      await new Promise((r) => setTimeout(r, 50));
      described = await describe();
    }

    expect(described).toMatchObject({ executionArn, status: 'SUCCEEDED', input });
  });

  it('refuses a state machine the stack does not have, as Step Functions does', async () => {
    const unknown = sagaArn().replace('CartSaga-StateMachine', 'Nope');

    const error = await sfn()
      .send(new StartSyncExecutionCommand({ stateMachineArn: unknown, input: '{}' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StateMachineDoesNotExist);
  });
});
