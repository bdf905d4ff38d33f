import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { LAMBDA_SERVICE_ERRORS, SAGA_ERROR_CODES } from '../../shared/carts/saga/task-errors.js';
import { CART_STATE_MACHINE_ARN } from '../../shared/platform/runtime/environment.js';
import { ServiceFunction } from './service-function.js';
import { grantTable } from './table-access.js';

export interface CartSagaProps {
  readonly table: ITableV2;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
}

/** The state names of the saga: the local runtime maps its Lambda tasks to handlers, the tests read them. */
export const CART_SAGA_STATES = {
  reserveEachWarehouse: 'ReserveEachWarehouse',
  reserveWarehouse: 'ReserveWarehouse',
  complete: 'MarkCartHeld',
  compensate: 'ReleaseEverythingHeld',
  held: 'CartHeld',
  failed: 'CartFailed',
  compensationIncomplete: 'CompensationIncomplete',
} as const;

/**
 * The cart saga: an Express state machine (JSONPath) that holds a cart all or nothing, run synchronously by the
 * API (ADR 10). Its input is `{ownerId, cartId, steps: [{stepIndex}]}`.
 *
 * 1. For each warehouse step of the plan, one at a time (MaxConcurrency 1: when a step fails, no other step is
 *    in flight), hold that warehouse's lines in one transaction. A step is keyed by (cart, step), so a retried
 *    or re-driven step finds its own holds. Lambda service errors and contention are retried; a short line is
 *    not.
 * 2. Every step held: mark the cart HELD.
 * 3. Any failure (of a step, or of marking it held): release everything the plan could have held, with
 *    generous retries and backoff, record the failed line on the cart, and fail the execution with the
 *    original error and cause.
 * 4. A compensation that still fails after its retries is caught: the execution fails with
 *    `CartCompensationIncomplete` (the cart stays COMPENSATING; the stuck-cart recovery finishes it, ADR 15).
 *
 * Logged in full to its own log group, traced with X-Ray; its role may invoke exactly its three functions, and
 * each function may use only the table actions it needs.
 */
export class CartSaga extends Construct {
  readonly stateMachine: StateMachine;
  readonly reserveStep: ServiceFunction;
  readonly compensate: ServiceFunction;
  readonly complete: ServiceFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CartSagaProps) {
    super(scope, id);
    const common = {
      environment: props.environment,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
    };

    this.reserveStep = new ServiceFunction(this, 'ReserveStep', {
      ...common,
      handler: 'reserve-cart-step',
      description: "Cart saga: holds one warehouse's lines of a cart in one transaction",
    });
    grantTable(this.reserveStep.fn, props.table, [
      'GetItem',
      'Query',
      'PutItem',
      'UpdateItem',
      'ConditionCheckItem',
    ]);
    this.compensate = new ServiceFunction(this, 'Compensate', {
      ...common,
      handler: 'compensate-cart',
      timeout: Duration.seconds(30),
      description: 'Cart saga: releases every hold of a failed cart and records why it failed',
    });
    grantTable(this.compensate.fn, props.table, ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem']);
    this.complete = new ServiceFunction(this, 'Complete', {
      ...common,
      handler: 'complete-cart',
      description: 'Cart saga: marks a cart whose every line is held as HELD',
    });
    grantTable(this.complete.fn, props.table, ['UpdateItem']);

    const lambdaRetry = {
      errors: [...LAMBDA_SERVICE_ERRORS],
      interval: Duration.seconds(1),
      maxAttempts: 3,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    };
    const caught = { errors: ['States.ALL'], resultPath: '$.error' };

    const reserveWarehouse = new LambdaInvoke(this, CART_SAGA_STATES.reserveWarehouse, {
      lambdaFunction: this.reserveStep.fn,
      payload: TaskInput.fromJsonPathAt('$'),
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: false,
      comment: "Hold one warehouse's lines in one transaction, fenced by the cart being PENDING",
    })
      .addRetry(lambdaRetry)
      .addRetry({
        errors: [SAGA_ERROR_CODES.contention],
        interval: Duration.seconds(1),
        maxAttempts: 3,
        backoffRate: 2,
        jitterStrategy: JitterType.FULL,
      });

    const reserveEachWarehouse = new MapState(this, CART_SAGA_STATES.reserveEachWarehouse, {
      comment: 'One warehouse at a time, so that no step is in flight when another fails',
      itemsPath: JsonPath.stringAt('$.steps'),
      itemSelector: {
        ownerId: JsonPath.stringAt('$.ownerId'),
        cartId: JsonPath.stringAt('$.cartId'),
        stepIndex: JsonPath.numberAt('$$.Map.Item.Value.stepIndex'),
      },
      maxConcurrency: 1,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(reserveWarehouse);

    const complete = new LambdaInvoke(this, CART_SAGA_STATES.complete, {
      lambdaFunction: this.complete.fn,
      payload: TaskInput.fromObject({
        ownerId: JsonPath.stringAt('$.ownerId'),
        cartId: JsonPath.stringAt('$.cartId'),
      }),
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: false,
      comment: 'Every line is held: the cart is HELD',
    }).addRetry(lambdaRetry);

    const compensate = new LambdaInvoke(this, CART_SAGA_STATES.compensate, {
      lambdaFunction: this.compensate.fn,
      payload: TaskInput.fromObject({
        ownerId: JsonPath.stringAt('$.ownerId'),
        cartId: JsonPath.stringAt('$.cartId'),
        error: JsonPath.objectAt('$.error'),
      }),
      resultPath: JsonPath.DISCARD,
      retryOnServiceExceptions: false,
      comment: 'Fence the cart, release every hold its plan could have made, record the failed line',
    }).addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(1),
      maxAttempts: 8,
      backoffRate: 2,
      maxDelay: Duration.seconds(10),
      jitterStrategy: JitterType.FULL,
    });

    const failed = new Fail(this, CART_SAGA_STATES.failed, {
      comment: 'The cart is FAILED and nothing of it is held',
      errorPath: JsonPath.stringAt('$.error.Error'),
      causePath: JsonPath.stringAt('$.error.Cause'),
    });

    const compensationIncomplete = new Fail(this, CART_SAGA_STATES.compensationIncomplete, {
      comment: 'The cart is left COMPENSATING; the stuck-cart recovery releases what it holds',
      error: SAGA_ERROR_CODES.compensationIncomplete,
      causePath: JsonPath.stringAt('$.compensationError.Cause'),
    });

    reserveEachWarehouse.addCatch(compensate, caught);
    complete.addCatch(compensate, caught);
    compensate.addCatch(compensationIncomplete, {
      errors: ['States.ALL'],
      resultPath: '$.compensationError',
    });
    compensate.next(failed);
    const definition = reserveEachWarehouse
      .next(complete)
      .next(new Succeed(this, CART_SAGA_STATES.held, { comment: 'Every line of the cart is held' }));

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-cart-saga`,
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'Holds a cart all or nothing across warehouses (the cart saga)',
      stateMachineType: StateMachineType.EXPRESS,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(3),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });

    const stack = Stack.of(this);
    const functionIds = [this.reserveStep, this.compensate, this.complete].map((f) =>
      stack.getLogicalId(f.fn.node.defaultChild as never),
    );
    for (const logicalId of functionIds) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'The state machine invokes only its own three functions; `:*` covers their versions and aliases (as CDK grants for a Lambda task).',
      });
    }
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (logs:*LogDelivery*, DescribeLogGroups, resource policies) support no resource-level permissions.',
    });
  }

  /** Lets a function run the saga synchronously: it learns the ARN, and may StartSyncExecution on it alone. */
  startableBy(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    fn.addEnvironment(CART_STATE_MACHINE_ARN, this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartSyncExecution(fn);
  }
}
