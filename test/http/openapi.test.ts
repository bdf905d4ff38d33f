import { spawnSync } from 'node:child_process';
import { compileErrors, validate } from '@readme/openapi-parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../../shared/platform/config/service-config.js';
import { openApiDocument } from '../../shared/platform/http/openapi.js';
import { PROBLEM_CODES, problemTypeUri } from '../../shared/platform/http/problem-types.js';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';
import { reasonSchema } from '../../shared/platform/http/schemas/common.js';

type Json = Record<string, unknown>;

/** Every value of `key` anywhere in `value`, with the JSON path it was found at. */
function everyValueOf(value: unknown, key: string, at = '#'): Array<{ at: string; value: unknown }> {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === key ? [{ at: `${at}/${k}`, value: v }] : []),
    ...everyValueOf(v, key, `${at}/${k}`),
  ]);
}

const operations = (document: ReturnType<typeof openApiDocument>) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Json })),
  );

const hasPython = spawnSync('python3', ['--version']).status === 0;

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(openApiDocument());
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('would be caught by the validator if it were broken', async () => {
    const broken = {
      ...openApiDocument(),
      paths: { '/x': { get: { responses: { 200: { content: 'nope' } } } } },
    };
    expect((await new Validator().validate(broken)).valid).toBe(false);
    const duplicated = structuredClone(openApiDocument());
    const [first, second] = Object.values(duplicated.paths).flatMap((methods) =>
      Object.values(methods),
    ) as Json[];
    (second as Json).operationId = (first as Json).operationId;
    expect((await validate(duplicated as never)).valid).toBe(false);
  });

  it('describes every route of the table, with its roles and its problems', () => {
    const document = openApiDocument();
    for (const route of ROUTE_TABLE) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Record<string, unknown>;
      expect(operation, `${route.method} ${route.path}`).toMatchObject({
        operationId: route.operationId,
        'x-roles': [...route.roles],
      });
      const responses = operation.responses as Record<string, unknown>;
      expect(Object.keys(responses)).toContain(String(route.success.status));
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['400', '429', '500']));
    }
  });

  it('states the domain rules: identifier patterns and quantity bounds', () => {
    const schemas = openApiDocument().components.schemas;
    expect(schemas.Sku).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' });
    expect(schemas.Quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 1_000_000 });
    expect(schemas.ReserveRequest).toMatchObject({
      additionalProperties: false,
      required: ['sku', 'locationId', 'quantity'],
    });
  });

  it('names each problem type that a route may answer by its stable URI', () => {
    const text = JSON.stringify(openApiDocument());
    const mentioned = PROBLEM_CODES.filter((code) => text.includes(problemTypeUri(code)));
    // 405 is the local runtime's answer for a known path with another method; API Gateway answers 404.
    expect(mentioned).toEqual(PROBLEM_CODES.filter((c) => c !== 'method-not-allowed'));
  });

  it('passes a second, independent validator, which also checks what the schema of OpenAPI cannot', async () => {
    const result = await validate(structuredClone(openApiDocument()) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('has patterns that ECMAScript without the u flag and RE2 (Go) compile, and none of the Unicode-only syntax', () => {
    const patterns = everyValueOf(openApiDocument(), 'pattern');
    expect(patterns.length).toBeGreaterThan(5);
    for (const { at, value } of patterns) {
      expect(typeof value, at).toBe('string');
      // \p{..}, \P{..} and \u{..} mean something else (or nothing) to Python's re and without the u flag.
      expect(value, at).not.toMatch(/\\[pPu]\{/);
      expect(() => new RegExp(value as string), at).not.toThrow();
      expect(() => RE2JS.compile(value as string), at).not.toThrow();
    }
  });

  it.runIf(hasPython)('has patterns that Python compiles', () => {
    const patterns = everyValueOf(openApiDocument(), 'pattern').map((p) => p.value);
    const python = spawnSync(
      'python3',
      ['-c', 'import json, re, sys\nfor p in json.load(sys.stdin): re.compile(p)'],
      { input: JSON.stringify(patterns), encoding: 'utf8' },
    );
    expect(python.stderr).toBe('');
    expect(python.status).toBe(0);
  });

  it('documents the free-text pattern so that it refuses exactly what the server refuses', () => {
    const pattern = (
      openApiDocument().components.schemas.AdjustRequest as Json & {
        properties: { reason: { pattern: string } };
      }
    ).properties.reason.pattern;
    const samples = [
      'ok',
      'é à',
      '漢字',
      '😀 emoji',
      'tab\there',
      'nul\u0000',
      'del\u007f',
      'c1\u0085',
      'c1\u009f',
      'nbsp\u00a0',
      'esc\u001b',
      'line\nbreak',
    ];
    for (const sample of samples) {
      const server = reasonSchema.safeParse(sample).success;
      expect(new RegExp(pattern).test(sample), JSON.stringify(sample)).toBe(server);
      expect(RE2JS.matches(pattern, sample), JSON.stringify(sample)).toBe(server);
    }
    expect(samples.filter((s) => reasonSchema.safeParse(s).success)).toEqual([
      'ok',
      'é à',
      '漢字',
      '😀 emoji',
      'nbsp\u00a0',
    ]);
  });

  it('documents free-text lengths in characters, as the server counts them (an emoji is one)', () => {
    const reason = (
      openApiDocument().components.schemas.AdjustRequest as Json & {
        properties: { reason: { minLength: number; maxLength: number; pattern: string } };
      }
    ).properties.reason;
    expect(reason).toMatchObject({ minLength: 1, maxLength: 256 });
    const samples = [
      '',
      'a',
      'a'.repeat(256),
      'a'.repeat(257),
      '😀'.repeat(256),
      '😀'.repeat(257),
      '漢'.repeat(256),
    ];
    const documented = (s: string) => {
      const length = [...s].length; // JSON Schema counts code points
      return length >= reason.minLength && length <= reason.maxLength && new RegExp(reason.pattern).test(s);
    };
    for (const sample of samples) {
      expect(reasonSchema.safeParse(sample).success, `${sample.slice(0, 4)}… (${sample.length})`).toBe(
        documented(sample),
      );
    }
    expect(reasonSchema.safeParse('😀'.repeat(256)).success).toBe(true);
  });

  it('documents every page limit as the integer from 1 to 100 that the server takes', () => {
    const limits = operations(openApiDocument()).flatMap(({ path, op }) =>
      ((op.parameters ?? []) as Json[])
        .filter((p) => p.name === 'limit')
        .map((p) => ({ path, schema: p.schema })),
    );
    expect(limits.map((l) => l.path).sort()).toEqual([
      '/carts',
      '/changes',
      '/locations/{locationId}/levels',
      '/replenishments',
      '/reports/low-stock',
      '/reservations',
      '/skus',
      '/skus/{sku}/locations/{locationId}/movements',
    ]);
    for (const { schema } of limits)
      expect(schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('documents that an adjustment delta may not be 0', () => {
    const delta = (openApiDocument().components.schemas.AdjustRequest as { properties: Json }).properties
      .delta;
    expect(delta).toMatchObject({
      type: 'integer',
      minimum: -1_000_000,
      maximum: 1_000_000,
      not: { const: 0 },
    });
  });

  it('documents the hold TTL bounds of the policy the server runs with', () => {
    const config = loadServiceConfig({
      HOLD_TTL_MIN_SECONDS: '30',
      HOLD_TTL_DEFAULT_SECONDS: '60',
      HOLD_TTL_MAX_SECONDS: '3600',
    });
    const schemas = openApiDocument({ config }).components.schemas as Record<string, { properties: Json }>;
    for (const name of ['ReserveRequest', 'ExtendRequest', 'ReserveCartRequest']) {
      expect(schemas[name]?.properties.ttlSeconds, name).toMatchObject({
        type: 'integer',
        minimum: 30,
        maximum: 3600,
      });
    }
    const byDefault = openApiDocument().components.schemas as Record<string, { properties: Json }>;
    expect(byDefault.ReserveRequest?.properties.ttlSeconds).toMatchObject({ minimum: 10, maximum: 86_400 });
  });

  it('documents that a PATCH body must change something', () => {
    const document = openApiDocument();
    const patches = operations(document).filter((o) => o.method === 'patch');
    expect(patches.length).toBeGreaterThan(0);
    for (const { path, op } of patches) {
      const ref =
        (op.requestBody as { content: Record<string, { schema: { $ref: string } }> }).content[
          'application/json'
        ]?.schema.$ref ?? '';
      const schema = (document.components.schemas as Record<string, Json>)[
        ref.replace('#/components/schemas/', '')
      ];
      expect(schema?.minProperties, path).toBe(1);
    }
    // Only expectedVersion changes nothing: one of the others is required.
    expect(document.components.schemas.UpdateLocationRequest).toMatchObject({
      anyOf: ['name', 'region', 'priority', 'coordinates', 'active'].map((name) => ({ required: [name] })),
    });
  });

  it('documents that the nearest strategy requires a destination', () => {
    expect(openApiDocument().components.schemas.ReserveCartRequest).toMatchObject({
      if: { properties: { strategy: { const: 'nearest' } }, required: ['strategy'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then.
      then: { required: ['destination'] },
    });
  });

  it('documents that every field error says where the field is', () => {
    const problem = openApiDocument().components.schemas.Problem as {
      properties: { errors: { items: Json } };
    };
    expect(problem.properties.errors.items.required).toEqual(['in', 'field', 'detail']);
  });

  it('names the server it is served from, or / when it does not know it', () => {
    expect(openApiDocument({ serverUrl: 'https://api.example.com/prod' }).servers).toEqual([
      { url: 'https://api.example.com/prod' },
    ]);
    expect(openApiDocument().servers).toEqual([{ url: '/' }]);
  });
});
