import * as z from 'zod';
import { DEFAULT_SERVICE_CONFIG, type ServiceConfig } from '../config/service-config.js';
import { components, documentationOf } from './schemas/registry.js';

export type JsonSchema = Record<string, unknown>;

/**
 * Zod schemas as OpenAPI 3.1 schemas (JSON Schema 2020-12). Named schemas (see `named`) become components and
 * are referenced; `collected` gathers the components met so far. A schema with a documented form (see
 * `documentedAs`) is given that form, for the config the server runs with.
 */
export class SchemaConverter {
  readonly collected: Record<string, JsonSchema> = {};

  constructor(private readonly config: ServiceConfig = DEFAULT_SERVICE_CONFIG) {}

  convert(schema: z.ZodType): JsonSchema {
    const converted = z.toJSONSchema(schema, {
      metadata: components,
      io: 'input',
      target: 'draft-2020-12',
      unrepresentable: 'any',
      override: (ctx) => {
        const documented = documentationOf(ctx.zodSchema);
        if (documented) {
          const json = ctx.jsonSchema as JsonSchema;
          for (const key of Object.keys(json)) delete json[key];
          Object.assign(json, documented(this.config));
        }
        const description = z.globalRegistry.get(ctx.zodSchema)?.description;
        if (description && ctx.jsonSchema.description === undefined) ctx.jsonSchema.description = description;
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...rest } = converted;
    if ($defs && typeof $defs === 'object') {
      for (const [id, def] of Object.entries($defs as Record<string, JsonSchema>)) {
        this.collected[id] = toComponentRefs(def) as JsonSchema;
      }
    }
    return toComponentRefs(rest) as JsonSchema;
  }
}

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string'
        ? v.replace('#/$defs/', '#/components/schemas/')
        : toComponentRefs(v),
    ]),
  );
}
