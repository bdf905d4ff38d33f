import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runCompensation } from '../shared/carts/saga/tasks.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();

/** The cart saga's compensation: releases every hold of a failed cart and records the line that failed. Invoked by the cart saga's state machine. */
export const handler = middy((event: unknown) => runCompensation(deps, event)).use(
  injectLambdaContext(logger),
);
