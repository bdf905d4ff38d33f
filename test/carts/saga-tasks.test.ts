import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cartFailureOf, SAGA_ERROR_CODES, SagaTaskError } from '../../shared/carts/saga/task-errors.js';
import { runCartStep, runCompensation, runCompletion } from '../../shared/carts/saga/tasks.js';
import { createCart, getCart } from '../../shared/carts/use-cases/carts.js';
import { type CartId, parseCartId } from '../../shared/kernel/identifiers.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createDocumentClient } from '../../shared/platform/store/document-client.js';
import { readLevel } from '../../shared/stock/use-cases/reads.js';
import { useTestTable } from '../support/dynamo.js';
import { aPrincipal, aSku, aStockedLevel } from '../support/fixtures.js';

/**
 * The saga's Lambda tasks as Step Functions sees them: the error names its Retry and Catch match, the detail
 * compensation reads back from the caught `Cause`, and idempotence when a task runs again.
 */
const { table, deps } = useTestTable();

let carts = 0;
const aCartId = (): CartId => parseCartId(`task-cart-${carts++}`);

/** A one-step cart: `quantity` units of a SKU stocked with `stock` at one warehouse. */
async function aOneStepCart(stock: number, quantity: number) {
  const { sku, locationId } = await aStockedLevel(deps, stock);
  const ownerId = aPrincipal();
  const cartId = aCartId();
  await createCart(
    deps,
    { cartId, lines: [{ sku, quantity, locationId: null }], strategy: 'priority' },
    ownerId,
    [{ locationId, lines: [{ lineIndex: 0, sku, quantity }] }],
  );
  return { sku, locationId, ownerId, cartId };
}

/** The `{Error, Cause}` Step Functions catches when a Lambda function throws `error`. */
const caughtFromLambda = (error: Error) => ({
  Error: error.name,
  Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: ['at somewhere'] }),
});

describe('the reserve step task', () => {
  it('fails with CartLineShort, naming the line, the warehouse and what was available, when a line is short', async () => {
    const { sku, locationId, ownerId, cartId } = await aOneStepCart(1, 3);

    const error = await runCartStep(deps, { ownerId, cartId, stepIndex: 0 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SagaTaskError);
    expect((error as Error).name).toBe(SAGA_ERROR_CODES.lineShort);
    expect(JSON.parse((error as Error).message)).toEqual({
      code: 'insufficient-stock',
      detail: expect.stringContaining('3 requested but only 1 available'),
      lineIndex: 0,
      sku,
      locationId,
      requested: 3,
      available: 1,
    });
  });

  it('replays when it runs again after holding, and holds nothing twice', async () => {
    const { sku, locationId, ownerId, cartId } = await aOneStepCart(5, 2);

    const first = await runCartStep(deps, { ownerId, cartId, stepIndex: 0 });
    const again = await runCartStep(deps, { ownerId, cartId, stepIndex: 0 });

    expect([first, again]).toEqual([{ replayed: false }, { replayed: true }]);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2, version: 2 });
  });

  it('fails with CartStepContention, which the state machine retries, when contention outlasts the store', async () => {
    // Prepare: every transaction is cancelled for a conflict, as DynamoDB does under contention
    const { ownerId, cartId } = await aOneStepCart(5, 2);
    const client = createDocumentClient({
      endpoint: table.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
        throw new TransactionCanceledException({
          message: 'Transaction cancelled [TransactionConflict]',
          $metadata: {},
          CancellationReasons: [{ Code: 'TransactionConflict' }],
        });
      },
      { step: 'initialize', name: 'alwaysConflict' },
    );
    const contended = {
      ...deps,
      ...createDynamoStores({
        client,
        tableName: table.tableName,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      }),
    };

    // Act
    const error = await runCartStep(contended, { ownerId, cartId, stepIndex: 0 }).catch((e: unknown) => e);
    client.destroy();

    // Assess
    expect((error as Error).name).toBe(SAGA_ERROR_CODES.contention);
    expect(JSON.parse((error as Error).message)).toMatchObject({
      code: 'concurrency-limit',
      lineIndex: null,
    });
  });

  it('refuses a malformed input with a ValidationError', async () => {
    const { ownerId, cartId } = await aOneStepCart(5, 2);

    const errors = await Promise.all(
      [
        { ownerId, cartId },
        { ownerId, cartId, stepIndex: -1 },
        { ownerId: 'has space', cartId, stepIndex: 0 },
        'x',
      ].map((input) => runCartStep(deps, input).catch((e: unknown) => e)),
    );

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'ValidationError',
      'ValidationError',
      'ValidationError',
      'ValidationError',
    ]);
  });
});

describe('the compensation task', () => {
  it('releases what was held and records the failure it was given, once however often it runs', async () => {
    // Prepare: the step held its line, then a later step failed short
    const { sku, locationId, ownerId, cartId } = await aOneStepCart(5, 2);
    await runCartStep(deps, { ownerId, cartId, stepIndex: 0 });
    const short = new SagaTaskError(SAGA_ERROR_CODES.lineShort, {
      code: 'insufficient-stock',
      detail: '3 requested but only 1 available',
      lineIndex: 1,
      sku,
      locationId,
      requested: 3,
      available: 1,
    });
    const input = { ownerId, cartId, error: caughtFromLambda(short) };

    // Act
    const first = await runCompensation(deps, input);
    const afterFirst = await readLevel(deps, sku, locationId);
    const again = await runCompensation(deps, input);

    // Assess
    expect([first, again]).toEqual([{ status: 'FAILED' }, { status: 'FAILED' }]);
    expect((await getCart(deps, ownerId, cartId)).failure).toEqual({
      code: 'insufficient-stock',
      detail: '3 requested but only 1 available',
      lineIndex: 1,
      sku,
      locationId,
      available: 1,
    });
    expect(afterFirst).toMatchObject({ reserved: 0, available: 5 });
    expect(await readLevel(deps, sku, locationId)).toEqual(afterFirst);
  });
});

describe('the compensation task, when another run of the saga completed the cart', () => {
  it('leaves the cart HELD and its holds as they are', async () => {
    // Prepare: the first run held the line and completed; a second run's late step was refused by the fence
    const { sku, locationId, ownerId, cartId } = await aOneStepCart(5, 2);
    await runCartStep(deps, { ownerId, cartId, stepIndex: 0 });
    await runCompletion(deps, { ownerId, cartId });
    const late = await runCartStep(deps, { ownerId, cartId, stepIndex: 0 }).catch((e: unknown) => e);

    // Act
    const result = await runCompensation(deps, { ownerId, cartId, error: caughtFromLambda(late as Error) });

    // Assess
    expect((late as Error).name).toBe('CartStateError');
    expect(result).toEqual({ status: 'HELD' });
    expect((await getCart(deps, ownerId, cartId)).reservations.map((r) => r.status)).toEqual(['HELD']);
    expect(await readLevel(deps, sku, locationId)).toMatchObject({ reserved: 2 });
  });
});

describe('the completion task', () => {
  it('marks a cart whose steps all held as HELD, and again changes nothing', async () => {
    const { sku, locationId, ownerId, cartId } = await aOneStepCart(5, 2);
    await runCartStep(deps, { ownerId, cartId, stepIndex: 0 });

    const first = await runCompletion(deps, { ownerId, cartId });
    const afterFirst = {
      cart: await getCart(deps, ownerId, cartId),
      level: await readLevel(deps, sku, locationId),
    };
    deps.clock.advance(1_000); // a retry comes later: a rewrite would show in updatedAt
    const second = await runCompletion(deps, { ownerId, cartId });

    expect([first, second]).toEqual([{ status: 'HELD' }, { status: 'HELD' }]);
    expect(afterFirst.cart.status).toBe('HELD');
    expect(await getCart(deps, ownerId, cartId)).toEqual(afterFirst.cart);
    expect(await readLevel(deps, sku, locationId)).toEqual(afterFirst.level);
  });
});

describe('the failure recorded from a caught error', () => {
  it("keeps a saga task's own detail from the Lambda error payload in Cause", () => {
    const error = new SagaTaskError(SAGA_ERROR_CODES.lineShort, {
      code: 'insufficient-stock',
      detail: '2 requested but only 0 available for S at W',
      lineIndex: 3,
      sku: aSku(),
      locationId: null,
      requested: 2,
      available: 0,
    });

    expect(cartFailureOf(caughtFromLambda(error))).toMatchObject({
      code: 'insufficient-stock',
      detail: '2 requested but only 0 available for S at W',
      lineIndex: 3,
      available: 0,
    });
  });

  it('names any other error by its code only, never by its message', () => {
    const internal = new Error('connect ECONNREFUSED 10.0.0.7:443 (table inventory-prod)');

    const failures = [
      cartFailureOf(caughtFromLambda(internal)),
      cartFailureOf({ Error: 'Lambda.ServiceException', Cause: 'Rate exceeded on arn:aws:lambda:...' }),
      cartFailureOf({ Error: 'States.Timeout' }),
      cartFailureOf(null),
    ];

    expect(failures.map((f) => f.code)).toEqual([
      'Error',
      'Lambda.ServiceException',
      'States.Timeout',
      'Unknown',
    ]);
    expect(JSON.stringify(failures)).not.toMatch(/ECONNREFUSED|Rate exceeded/);
    expect(failures.every((f) => f.lineIndex === null)).toBe(true);
  });

  it('does not trust a saga error code whose Cause is not its detail', () => {
    const failure = cartFailureOf({ Error: SAGA_ERROR_CODES.lineShort, Cause: 'not json at all' });

    expect(failure).toEqual({
      code: 'insufficient-stock',
      detail: 'the cart could not be held (CartLineShort)',
      lineIndex: null,
      sku: null,
      locationId: null,
      available: null,
    });
  });
});
