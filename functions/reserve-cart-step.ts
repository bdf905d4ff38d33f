import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runCartStep } from '../shared/carts/saga/tasks.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();

/** One warehouse step of the cart saga: holds that warehouse's lines of the cart in one transaction. Invoked by the cart saga's state machine. */
export const handler = middy((event: unknown) => runCartStep(deps, event)).use(injectLambdaContext(logger));
