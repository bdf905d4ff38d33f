import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { explainCallFailure } from './failure-mapping.js';
import { currentDeadline } from './request-deadline.js';

/** The calls that may change the table: a lost answer to one of them leaves the outcome unknown. */
const WRITES = new Set([
  'TransactWriteItemsCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
]);

/**
 * The one way the code makes a DynamoDB client. Locally and in tests an endpoint points it at DynamoDB Local;
 * the code never asks where it runs.
 *
 * Within an API request (see request-deadline.ts) every call is bounded by the request's
 * deadline and a failed call is explained for the request: see `boundByRequestDeadline`.
 */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return boundByRequestDeadline(
    DynamoDBDocumentClient.from(createLowLevelClient(config), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  );
}

/**
 * The low-level client under the document client, with the settings of ADR 40: silent logger, signers kept, no
 * user agent. Exported for the benchmark's measure of the SDK's floor (ADR 52); the service's code uses
 * createDocumentClient.
 */
export function createLowLevelClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  const client = new DynamoDBClient({ logger: SILENT_SDK_LOGGER, ...config });
  reuseSigners(client);
  // The SDK's user agent (its version, the features a call used) is telemetry for AWS; building it per call cost
  // about 2 % of a request's CPU, and DynamoDB needs none.
  client.middlewareStack.remove('getUserAgentMiddleware');
  return client;
}

type SignerProvider = DynamoDBClient['config']['signer'];

/**
 * The SDK's default signer provider builds a new SigV4 signer for every call: it copies the client's whole config
 * and, the new signer's signing-key cache being empty, derives the signing key again (four HMACs). This keeps the
 * signer it built for each auth scheme (name, region, service), so that its key cache serves every call of the
 * day. Nothing else changes: the signer asks the client's credential provider for the credentials at each call
 * (rotated credentials are used, and their own key is derived and cached), and a signer that failed to build is
 * built again at the next call.
 */
export function reuseSigners(client: DynamoDBClient): void {
  const build: SignerProvider = client.config.signer;
  const signers = new Map<string, ReturnType<SignerProvider>>();
  client.config.signer = (authScheme) => {
    const scope = `${authScheme?.name}|${authScheme?.signingRegion}|${authScheme?.signingName}`;
    let signer = signers.get(scope);
    if (!signer) {
      signer = build(authScheme);
      signers.set(scope, signer);
      signer.catch(() => signers.delete(scope));
    }
    return signer;
  };
}

const ignore = () => {};
/**
 * The SDK logs nothing by default, but its logger middleware still filters every input and output for a log line
 * when the logger has an `info` method (a few % of a request's CPU): this one has none, and drops the rest as the
 * default one does. For any SDK client of the service (the local stream poller's too).
 */
export const SILENT_SDK_LOGGER = { debug: ignore, warn: ignore, error: ignore } as unknown as NonNullable<
  DynamoDBClientConfig['logger']
>;

type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;

/**
 * Within an API request:
 * - each call gets the request's abort signal (unless it brings its own), so that the SDK gives up (the socket
 *   is destroyed, no further retry is made) before the Lambda function's deadline and the handler can still
 *   answer;
 * - a call whose answer is lost is turned into OutcomeUnknownError (a write, or anything after a write that may
 *   have been applied) or StoreUnavailableError (nothing was written), and the request remembers when a write of
 *   it may have been applied.
 * The store's code calls `send` as usual; outside a request nothing changes.
 */
function boundByRequestDeadline(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  const send = client.send.bind(client) as unknown as Send;
  const bounded: Send = (command, options) => {
    const signal = options?.abortSignal ?? currentDeadline()?.signal;
    return send(command, signal ? { ...options, abortSignal: signal } : options);
  };
  client.send = bounded as unknown as typeof client.send;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const deadline = currentDeadline();
      if (!deadline) return next(args);
      const call = WRITES.has(context.commandName ?? '') ? 'write' : 'read';
      const written = call === 'write' ? deadline.writeSent() : null;
      try {
        const output = await next(args);
        written?.(true);
        return output;
      } catch (error) {
        written?.(false);
        const explained = explainCallFailure(call, error, deadline.mayHaveWritten());
        if (!explained) throw error;
        if (explained.code === 'outcome-unknown') written?.(true);
        console.warn(
          JSON.stringify({
            level: 'warn',
            message: 'DynamoDB call failed',
            command: context.commandName,
            error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
            answeredAs: explained.code,
          }),
        );
        throw explained;
      }
    },
    { step: 'initialize', priority: 'high', name: 'explainFailedCallsOfARequest' },
  );
  return client;
}
