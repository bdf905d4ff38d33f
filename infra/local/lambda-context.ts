import type { Context } from 'aws-lambda';

/** The Lambda context a local invocation gets: the function's name and a deadline like its timeout. */
export function localLambdaContext(functionName: string, requestId: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Imports a Lambda entry point (the file the CDK stack bundles) and returns its `handler`. */
export async function loadFunction<E, R>(file: string): Promise<(event: E, context: Context) => Promise<R>> {
  const module = (await import(new URL(`../../${file}`, import.meta.url).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${file} does not export a handler function`);
  return module.handler as (event: E, context: Context) => Promise<R>;
}
