import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { runCompletion } from '../shared/carts/saga/tasks.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps } = coldStart();
const logger = new Logger();

/** The cart saga's last step: every line is held, the cart becomes HELD. Invoked by the cart saga's state machine. */
export const handler = middy((event: unknown) => runCompletion(deps, event)).use(injectLambdaContext(logger));
