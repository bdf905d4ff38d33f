import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const kebab = (id: string) => id.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every module `file` imports, transitively, with the bare specifiers (packages) it meets. */
function importGraph(file: string, seen = new Set<string>(), packages = new Set<string>()) {
  if (seen.has(file)) return { seen, packages };
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const [, specifier] of source.matchAll(/from '([^']+)'/g)) {
    if (!specifier) continue;
    if (specifier.startsWith('.'))
      importGraph(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), seen, packages);
    else packages.add(specifier);
  }
  return { seen, packages };
}

describe('the route table', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names each operation once and each method and path once', () => {
    const ids = ROUTE_TABLE.map((r) => r.operationId);
    const keys = ROUTE_TABLE.map((r) => `${r.method} ${r.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('points each route at its own handler file, functions/<kebab-case operation>.ts', () => {
    for (const route of ROUTE_TABLE) {
      expect(route.handler).toBe(`functions/${kebab(route.operationId)}.ts`);
      expect(existsSync(resolve(root, route.handler)), route.handler).toBe(true);
    }
  });

  it('declares a schema for exactly the parameters of each path', () => {
    for (const route of ROUTE_TABLE) {
      const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const schema = route.request.path;
      const declared = schema && 'shape' in schema ? Object.keys(schema.shape as object).sort() : [];
      expect(declared, route.operationId).toEqual(inPath);
    }
  });

  it('lets only public routes go without a token, and gives every other route a role', () => {
    for (const route of ROUTE_TABLE) {
      if (route.auth === 'none') expect(route.roles, route.operationId).toEqual([]);
      else expect(route.roles.length, route.operationId).toBeGreaterThan(0);
    }
    expect(ROUTE_TABLE.filter((r) => r.auth === 'none').map((r) => r.operationId)).toEqual(['getOpenApi']);
  });

  it('grants reads to reading routes, writes only to changing ones, and nothing to the OpenAPI route', () => {
    const access = Object.fromEntries(ROUTE_TABLE.map((r) => [r.operationId, r.tableAccess]));
    for (const route of ROUTE_TABLE.filter((r) => r.method === 'GET' && r.auth === 'jwt')) {
      expect(route.tableAccess, route.operationId).toBe('read');
    }
    for (const route of ROUTE_TABLE.filter(
      (r) => r.method !== 'GET' && r.operationId !== 'readAvailabilityBatch',
    )) {
      expect(route.tableAccess, route.operationId).toBe('read-write');
    }
    expect(access).toMatchObject({ getOpenApi: 'none', readAvailabilityBatch: 'read' });
  });

  it('can be imported by the CDK app: it pulls in no AWS SDK and no runtime module, only zod', () => {
    const { seen, packages } = importGraph(resolve(root, 'shared/platform/http/route-table.ts'));
    expect([...packages]).toEqual(['zod']);
    expect([...seen].filter((f) => f.includes('/runtime/') || f.includes('/store/'))).toEqual([]);
  });

  it('has a handler module exporting `handler` for every route', async () => {
    vi.stubEnv('TABLE_NAME', 'route-table-test');
    vi.stubEnv(
      'CART_STATE_MACHINE_ARN',
      'arn:aws:states:us-east-1:000000000000:stateMachine:route-table-test',
    );
    for (const route of ROUTE_TABLE) {
      const module: Record<string, unknown> = await import(resolve(root, route.handler));
      expect(typeof module.handler, route.handler).toBe('function');
    }
  });
});
