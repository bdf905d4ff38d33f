import { describe, expect, it } from 'vitest';
import { useTestApi } from '../api/support/api.js';
import { resourcesOf, synthesize } from './support.js';

const api = useTestApi();
const { template } = synthesize('dev');
/** The WebSocket API's ids (live stock, docs/live.md): its routes are not the HTTP API's. */
const webSocketApis = new Set(
  resourcesOf(template, 'AWS::ApiGatewayV2::Api')
    .filter(([, a]) => a.Properties?.ProtocolType === 'WEBSOCKET')
    .map(([id]) => id),
);
const httpRoutes = () =>
  resourcesOf(template, 'AWS::ApiGatewayV2::Route').filter(
    ([, r]) => !webSocketApis.has((r.Properties?.ApiId as { Ref?: string }).Ref ?? ''),
  );

/** `GET /skus/{sku}/availability` → a concrete path with a value in every parameter. */
const concrete = (path: string) => path.replace(/\{[A-Za-z0-9_]+\}/g, 'x1');

describe('the routes that deploy and the routes the local runtime serves', () => {
  const routeKeys = httpRoutes().map(([, r]) => String(r.Properties?.RouteKey));

  it('are the same set: every route of the template is served locally', async () => {
    expect(routeKeys.length).toBeGreaterThan(20);
    for (const key of routeKeys) {
      const [method = 'GET', path = '/'] = key.split(' ');
      const response = await fetch(`${api().url}${concrete(path)}`, { method });
      // Served: the route answers (200 when public, 401 without a token); unserved would be 404 or 405.
      expect([200, 401], key).toContain(response.status);
    }
  });

  it('and nothing else is served', async () => {
    const extra = await fetch(`${api().url}/not-a-route`);
    const wrongMethod = await fetch(`${api().url}/openapi.json`, { method: 'POST' });
    expect(extra.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
  });

  it('put the JWT authorizer on every route but the public ones', () => {
    const routes = httpRoutes();
    const unauthenticated = routes
      .filter(([, r]) => r.Properties?.AuthorizationType !== 'JWT')
      .map(([, r]) => r.Properties?.RouteKey);
    expect(unauthenticated).toEqual(['GET /openapi.json']);
  });
});
