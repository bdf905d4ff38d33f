import { gatewayEvent } from '../infra/local/gateway-event.js';
import type { VerifiedToken } from '../infra/local/local-authorizer.js';
import { parseLocationId, parsePrincipalId, parseSku } from '../shared/kernel/identifiers.js';
import type { ApiEvent } from '../shared/platform/http/request-state.js';
import type { RouteDefinition } from '../shared/platform/http/route.js';

/**
 * The reserves of `npm run bench -- --cpu-ratio` (bench/cpu-ratio.ts): the same catalogue and buyers whether they
 * go through the service's HTTP API or straight to the reserve handler (bench/handler-host.ts).
 */
export const CPU_RATIO_WAREHOUSE = parseLocationId('BENCH-WH');
export const CPU_RATIO_SKUS = Array.from({ length: 500 }, (_, i) => parseSku(`CPU-${i}`));
export const CPU_RATIO_BUYERS = Array.from({ length: 200 }, (_, i) => parsePrincipalId(`bench-buyer-${i}`));

/** The i-th reserve of a round: which buyer sends it, and its body (a long tail: SKUs 7919 apart in turn). */
export function nthReserve(i: number) {
  return {
    buyer: i % CPU_RATIO_BUYERS.length,
    body: {
      sku: CPU_RATIO_SKUS[(i * 7919) % CPU_RATIO_SKUS.length] as string,
      locationId: CPU_RATIO_WAREHOUSE as string,
      quantity: 1,
      ttlSeconds: 900,
    },
  };
}

/**
 * The payload 2.0 event the local API Gateway stand-in (infra/local/http-api.ts) hands the handler of a route
 * without path parameters, for a request with this JSON body and bearer token, once its authorizer has verified
 * the token into `token`: built by the stand-in's own code, from the headers Node's fetch sends (as the
 * benchmark's HTTP rounds do).
 */
export function gatewayEventFor(
  route: RouteDefinition,
  body: unknown,
  bearer: string,
  token: VerifiedToken,
): ApiEvent {
  const raw = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = {
    host: 'localhost',
    connection: 'keep-alive',
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: '*/*',
    'accept-language': '*',
    'sec-fetch-mode': 'cors',
    'user-agent': 'node',
    'accept-encoding': 'gzip, deflate',
    'content-length': String(raw.byteLength),
  };
  return gatewayEvent({
    request: {
      method: route.method,
      httpVersion: '1.1',
      headers,
      headersDistinct: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      socket: { remoteAddress: '127.0.0.1' },
    },
    url: new URL(route.path, 'http://localhost'),
    route,
    pathParameters: {},
    body: raw,
    token,
  });
}
