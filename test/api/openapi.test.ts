import { validate } from '@readme/openapi-parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocationId, Sku } from '../../shared/kernel/identifiers.js';
import { aLocationId } from '../support/fixtures.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem, type Reply } from './support/http.js';
import { type Actor, aLevel, anAdmin } from './support/world.js';

/**
 * The document as the server serves it (GET /openapi.json from the local runtime, with a hold policy other
 * than the default) says exactly what that server accepts: each documented bound is tried on both sides.
 */
const api = useTestApi({
  HOLD_TTL_MIN_SECONDS: '30',
  HOLD_TTL_DEFAULT_SECONDS: '60',
  HOLD_TTL_MAX_SECONDS: '3600',
});

type Json = Record<string, unknown>;
interface IntegerBounds {
  readonly minimum: number;
  readonly maximum: number;
}

let served: Json & {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
};
let admin: Actor;
let level: { sku: Sku; locationId: LocationId };

beforeAll(async () => {
  served = (await call(api().url, 'GET', '/openapi.json')).body as typeof served;
  admin = await anAdmin(api());
  level = await aLevel(api(), 1_000);
});

const fillPath = (path: string) => path.replace('{sku}', level.sku).replace('{locationId}', level.locationId);

function integerBounds(schema: unknown): IntegerBounds | null {
  const s = schema as Json;
  return s?.type === 'integer' && typeof s.minimum === 'number' && typeof s.maximum === 'number'
    ? { minimum: s.minimum, maximum: s.maximum }
    : null;
}

function expectRefused(reply: Reply, where: string, field: string) {
  expectProblem(reply, 'validation-error');
  expect(reply.body.errors, reply.text).toEqual([{ in: where, field, detail: expect.any(String) }]);
}

describe('the served OpenAPI document', () => {
  it('names the server at the address and port it was fetched from', () => {
    expect(served.servers).toEqual([{ url: api().url }]);
  });

  it('documents integer query bounds that the server enforces exactly: below and above refused, at them accepted', async () => {
    // Prepare: every GET whose query has an integer bound, and whose path a level fills.
    const cases = Object.entries(served.paths).flatMap(([path, methods]) =>
      ((methods.get?.parameters ?? []) as Json[])
        .filter((p) => p.in === 'query' && integerBounds(p.schema))
        .map((p) => ({
          path: fillPath(path),
          name: String(p.name),
          bounds: integerBounds(p.schema) as IntegerBounds,
        })),
    );
    expect(cases.map((c) => c.name)).toEqual(Array(8).fill('limit'));

    for (const { path, name, bounds } of cases) {
      // Act
      const at = (n: number) => call(api().url, 'GET', `${path}?${name}=${n}`, { token: admin.token });
      const [below, min, max, above] = await Promise.all(
        [bounds.minimum - 1, bounds.minimum, bounds.maximum, bounds.maximum + 1].map(at),
      );

      // Assess
      expectRefused(below as Reply, 'query', name);
      expect(min?.status, `${path} ${name}=${bounds.minimum}: ${min?.text}`).toBe(200);
      expect(max?.status, `${path} ${name}=${bounds.maximum}: ${max?.text}`).toBe(200);
      expectRefused(above as Reply, 'query', name);
    }
  });

  it('documents integer body bounds that the server enforces exactly, for every field of every operation', async () => {
    // Prepare: each top-level integer field of each body, sent alone (the other fields' errors do not matter:
    // the server reports every invalid field at once).
    const schemas = served.components.schemas;
    const deref = (schema: unknown) => {
      const ref = (schema as Json)?.$ref;
      return typeof ref === 'string' ? schemas[ref.replace('#/components/schemas/', '')] : (schema as Json);
    };
    const cases = Object.entries(served.paths).flatMap(([path, methods]) =>
      Object.entries(methods).flatMap(([method, op]) => {
        const content = (op.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)
          ?.content;
        const body = deref(content?.['application/json']?.schema);
        return (
          Object.entries((body?.properties ?? {}) as Json)
            .map(([name, schema]) => ({ method, path, name, bounds: integerBounds(deref(schema)) }))
            // ttlSeconds is bounded by the hold policy, checked by the use cases: tried with whole bodies below.
            .filter(
              (c): c is typeof c & { bounds: IntegerBounds } => c.bounds !== null && c.name !== 'ttlSeconds',
            )
        );
      }),
    );
    expect(cases.length).toBeGreaterThanOrEqual(14);
    const fill = (path: string) =>
      fillPath(path)
        .replace('{reservationId}', '01ARZ3NDEKTSV4RRFFQ69G5FAV')
        .replace('{requestId}', '01ARZ3NDEKTSV4RRFFQ69G5FAV')
        .replace('{cartId}', 'cart-bounds');

    for (const { method, path, name, bounds } of cases) {
      // Act
      const send = (value: number) =>
        call(api().url, method.toUpperCase(), fill(path), { token: admin.token, json: { [name]: value } });
      const named = async (value: number) =>
        (((await send(value)).body.errors ?? []) as Json[]).filter((e) => e.field === name);
      const [below, min, max, above] = await Promise.all(
        [bounds.minimum - 1, bounds.minimum, bounds.maximum, bounds.maximum + 1].map(named),
      );

      // Assess
      const what = `${method} ${path} ${name} in [${bounds.minimum}, ${bounds.maximum}]`;
      expect(below, what).toEqual([{ in: 'body', field: name, detail: expect.any(String) }]);
      expect(min, what).toEqual([]);
      expect(max, what).toEqual([]);
      expect(above, what).toEqual([{ in: 'body', field: name, detail: expect.any(String) }]);
    }
  });

  it("documents the TTL bounds of the server's hold policy, and the server holds at them and refuses past them", async () => {
    const bounds = integerBounds((served.components.schemas.ReserveRequest?.properties as Json).ttlSeconds);
    expect(bounds).toEqual({ minimum: 30, maximum: 3600 });
    const { minimum, maximum } = bounds as IntegerBounds;

    const reserve = (ttlSeconds: number) =>
      call(api().url, 'POST', '/reservations', {
        token: admin.token,
        json: { ...level, quantity: 1, ttlSeconds },
      });
    const [below, min, max, above] = await Promise.all(
      [minimum - 1, minimum, maximum, maximum + 1].map(reserve),
    );

    expectRefused(below as Reply, 'body', 'ttlSeconds');
    expect(min?.status, min?.text).toBe(201);
    expect(max?.status, max?.text).toBe(201);
    expectRefused(above as Reply, 'body', 'ttlSeconds');
  });

  it('documents a delta of 0 as refused, and the server refuses it', async () => {
    const delta = (served.components.schemas.AdjustRequest?.properties as Json).delta as Json;
    expect(delta.not).toEqual({ const: 0 });

    const reply = await call(
      api().url,
      'POST',
      `${fillPath('/skus/{sku}/locations/{locationId}')}/adjustments`,
      {
        token: admin.token,
        json: { delta: 0, reason: 'count' },
      },
    );

    expectRefused(reply, 'body', 'delta');
  });

  it('refuses an update that changes nothing, as the document says', async () => {
    const locationId = aLocationId();
    await call(api().url, 'POST', '/locations', {
      token: admin.token,
      json: { locationId, name: 'n', region: 'r' },
    });

    const onlyVersion = await call(api().url, 'PATCH', `/locations/${locationId}`, {
      token: admin.token,
      json: { expectedVersion: 1 },
    });

    expectProblem(onlyVersion, 'validation-error');
    expect(served.components.schemas.UpdateLocationRequest).toMatchObject({ minProperties: 1 });
  });

  it('says where each refused field is, also when a domain rule refuses it', async () => {
    const skuWithoutLocation = await call(api().url, 'GET', `/replenishments?sku=${level.sku}`, {
      token: admin.token,
    });
    const toItself = await call(api().url, 'POST', `/skus/${level.sku}/transfers`, {
      token: admin.token,
      json: { from: level.locationId, to: level.locationId, quantity: 1 },
    });

    expectRefused(skuWithoutLocation, 'query', 'sku');
    expectRefused(toItself, 'body', 'to');
  });

  // Last: its seconds of work without a request would let the runtime's idle sockets time out mid-test.
  it('is valid for two independent validators', async () => {
    const first = await new Validator().validate(structuredClone(served));
    const second = await validate(structuredClone(served) as never);
    expect(first.errors).toBeUndefined();
    expect(second.valid).toBe(true);
  });
});
