import '../infra/local/quiet-sdk.js';
import { loadOrCreateDevSigningKey } from '../infra/local/dev-keys.js';
import { signDevToken } from '../infra/local/dev-tokens.js';
import { lambdaContext } from '../infra/local/gateway-event.js';
import { loadFunction } from '../infra/local/lambda-context.js';
import { verifyBearer } from '../infra/local/local-authorizer.js';
import { localFunctionEnvironment } from '../infra/local/runtime.js';
import type { ApiEvent, ApiResult } from '../shared/platform/http/request-state.js';
import { ROUTE_TABLE } from '../shared/platform/http/route-table.js';
import { runLoad } from './load.js';
import { CPU_RATIO_BUYERS, gatewayEventFor, nthReserve } from './reserve-invocation.js';
import { BENCH_SERVICE_SETTINGS } from './service-settings.js';

/**
 * The reserve Lambda handler alone, in a process of its own, for `npm run bench -- --cpu-ratio`: what Lambda bills
 * for a reserve, without the local API Gateway stand-in (HTTP server, routing, JWT verification) or the background
 * consumers that share the service process. It gets the environment the local runtime gives its handlers (same
 * table, same settings as bench/service-process.ts), and receives the events the stand-in would build, built
 * before a round starts (API Gateway's work, not the function's). Started with an IPC channel: answers
 * `{ ready: true }`, then to each `{ reserves, concurrency }` invokes the handler that many times, that many at a
 * time, and answers the load's figures and its own CPU over the round (process.cpuUsage).
 */
const endpoint = process.env.BENCH_DYNAMO_ENDPOINT;
const tableName = process.env.BENCH_TABLE;
const keyFile = process.env.BENCH_KEY_FILE;
if (!endpoint || !tableName || !keyFile || !process.send)
  throw new Error('BENCH_DYNAMO_ENDPOINT, BENCH_TABLE, BENCH_KEY_FILE and an IPC channel are required');
const send = process.send.bind(process);

Object.assign(
  process.env,
  localFunctionEnvironment({ tableName, dynamoEndpoint: endpoint, settings: BENCH_SERVICE_SETTINGS }),
);
const route = ROUTE_TABLE.find((r) => r.operationId === 'reserveStock');
if (!route) throw new Error('the route table has no reserveStock route');
const handler = await loadFunction<ApiEvent, ApiResult | string>(route.handler);

// The gateway's authorizer verifies each token once and passes its claims on: done here before any round.
const key = await loadOrCreateDevSigningKey(keyFile);
const buyers = await Promise.all(
  CPU_RATIO_BUYERS.map(async (sub) => {
    const bearer = await signDevToken(key, { sub, roles: ['storefront'] });
    const token = await verifyBearer(key, `Bearer ${bearer}`);
    if (!token) throw new Error('a bench token did not verify');
    return { bearer, token };
  }),
);

let reported = false;
async function invoke(event: ApiEvent): Promise<boolean> {
  const result = await handler(
    event,
    lambdaContext(route as NonNullable<typeof route>, event.requestContext.requestId),
  );
  const ok = typeof result !== 'string' && result.statusCode === 201;
  if (!ok && !reported) {
    reported = true;
    console.error('handler host: a reserve was not created:', result);
  }
  return ok;
}

process.on('message', (message: { reserves: number; concurrency: number }) => {
  const events = Array.from({ length: message.reserves }, (_, i) => {
    const { buyer, body } = nthReserve(i);
    const { bearer, token } = buyers[buyer] as (typeof buyers)[number];
    return gatewayEventFor(route, body, bearer, token);
  });
  const before = process.cpuUsage();
  void runLoad(message.reserves, message.concurrency, (i) => invoke(events[i] as ApiEvent)).then((load) =>
    send({ load, cpu: process.cpuUsage(before) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });
