import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CartSaga } from '../constructs/cart-saga.js';
import { functionDefaults } from './function-defaults.js';
import { type StatelessStackProps, stackAlarms } from './stateless-stack.js';

/** The cart saga (ADR 10): its Express state machine, its three step functions, their alarms. */
export class CartSagaStack extends Stack {
  readonly saga: CartSaga;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    this.saga = new CartSaga(this, 'CartSaga', {
      table: stateful.data.table,
      ...functionDefaults(config, stateful.data.table),
    });
    const alarms = stackAlarms(this, 'CartSagaAlarms', props);
    alarms.watchStateMachine('CartSaga', this.saga.stateMachine);
    alarms.watchFunction('CartSagaReserveStep', this.saga.reserveStep.fn, { errors: false });
    alarms.watchFunction('CartSagaCompensate', this.saga.compensate.fn);
    alarms.watchFunction('CartSagaComplete', this.saga.complete.fn);

    new CfnOutput(this, 'CartSagaArn', { value: this.saga.stateMachine.stateMachineArn });
  }
}
